/**
 * The chained batch returned by `db.batch()`, and the operation objects `db.write()` takes.
 * @module
 */
import { type VelocityError, invalidArgument } from '@velocity/core';
import { BatchBuffer } from './batch-buffer.js';
import type { ExpiryOptions, ExpiryPolicy } from './expiry-options.js';
import { type Key, type Value, asCallerError, describe, isBytesLike, notBytes } from './input.js';

/** A put operation for `db.write`; `ttl` or `expiresAt` make it expire (see {@link ExpiryOptions}). */
export interface PutOperation extends ExpiryOptions {
  /** Marks a put. */
  type: 'put';
  /** The key to set. */
  key: Key;
  /** Its new value. */
  value: Value;
}

/** A delete operation for `db.write`. */
export interface DelOperation {
  /** Marks a delete. */
  type: 'del';
  /** The key to delete. */
  key: Key;
}

/** One operation of an atomic `db.write`. */
export type WriteOperation = PutOperation | DelOperation;

/** Options of writes. */
export interface WriteOptions {
  /**
   * When true the write-ahead log is fsynced before the promise resolves, so the write survives power
   * loss. When false (the default unless `DBOptions.sync` says otherwise) it survives a process kill.
   */
  sync?: boolean;
}

/** What a batch needs from its database. */
export interface BatchTarget {
  /** @internal */
  writeEncoded(batch: BatchBuffer, options: WriteOptions | undefined): Promise<void>;
  /** @internal */
  readonly expiry: ExpiryPolicy;
}

/**
 * Adds `op` to `buffer`, checking its shape; `expiry` turns a put's `ttl` or `expiresAt` (or the
 * default TTL) into its expiry time. Throws `INVALID_ARGUMENT` for a malformed operation (the caller
 * rolls the buffer back).
 */
export function encodeOperation(buffer: BatchBuffer, op: unknown, index: number, expiry: ExpiryPolicy): void {
  if (op === null || typeof op !== 'object') {
    throw invalidArgument(`operation ${index} must be an object, got ${describe(op)}`);
  }
  const { type, key, value } = op as { type?: unknown; key?: unknown; value?: unknown };
  if (!isBytesLike(key)) throw notBytes(`operation ${index}: key`, key);
  if (type === 'put') {
    if (!isBytesLike(value)) throw notBytes(`operation ${index}: value`, value);
    buffer.put(key, value, expiry.expiresAt(op, `operation ${index}:`));
  } else if (type === 'del') {
    buffer.del(key);
  } else {
    throw invalidArgument(`operation ${index}: type must be 'put' or 'del', got ${String(type)}`);
  }
}

/**
 * A batch of puts and deletes applied atomically by {@link WriteBatch.write}: all or nothing, also
 * across a crash. Operations are checked as they are added; a malformed one is remembered and makes
 * `write()` reject with `INVALID_ARGUMENT` without applying anything.
 *
 * @example
 * ```ts
 * import { DB } from '@velocity/db';
 * const db = await DB.open('./my-db');
 * await db.batch().put('a', '1').del('b').put('c', '3').write({ sync: true });
 * await db.close();
 * ```
 */
export class WriteBatch {
  private readonly buffer = new BatchBuffer(256);
  private error: VelocityError | undefined;
  private written = false;

  /** @internal Use `db.batch()`. */
  constructor(private readonly target: BatchTarget) {}

  /** Number of operations added. */
  get length(): number {
    return this.buffer.count;
  }

  /**
   * Adds a put; `options.ttl` or `options.expiresAt` make it expire, the TTL counted from this call.
   */
  put(key: Key, value: Value, options?: ExpiryOptions): this {
    this.add({ ...options, type: 'put', key, value });
    return this;
  }

  /** Adds a delete. */
  del(key: Key): this {
    this.add({ type: 'del', key });
    return this;
  }

  /** Alias of {@link WriteBatch.del}. */
  delete(key: Key): this {
    return this.del(key);
  }

  /** Removes every operation added so far (and a remembered error). */
  clear(): this {
    this.buffer.reset();
    this.error = undefined;
    return this;
  }

  private add(op: WriteOperation): void {
    if (this.error !== undefined) return;
    if (this.written) {
      this.error = invalidArgument('batch was already written');
      return;
    }
    try {
      encodeOperation(this.buffer, op, this.buffer.count, this.target.expiry);
    } catch (error) {
      this.error = asCallerError(error);
    }
  }

  /** Applies every operation atomically. A batch can be written once. */
  write(options?: WriteOptions): Promise<void> {
    if (this.error !== undefined) return Promise.reject(this.error);
    if (this.written) return Promise.reject(invalidArgument('batch was already written'));
    this.written = true;
    return this.target.writeEncoded(this.buffer, options);
  }
}
