/**
 * The chained batch returned by `db.batch()`, and the operation objects `db.write()` takes.
 * @module
 */
import { type Comparator, type VelocityError, invalidArgument } from '@velocity/core';
import { BatchBuffer } from './batch-buffer.js';
import type { ExpiryOptions, ExpiryPolicy } from './expiry-options.js';
import { type Key, type Value, asCallerError, describe, isBytesLike, keyBytes, notBytes } from './input.js';

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

/**
 * A range deletion for `db.write`: every key `k` with `start <= k < end` (in the database's key
 * order) is deleted. `start == end` deletes nothing (the operation is skipped); `start > end` is
 * `INVALID_ARGUMENT`.
 */
export interface DeleteRangeOperation {
  /** Marks a range deletion. */
  type: 'deleteRange';
  /** First key deleted (inclusive). */
  start: Key;
  /** First key kept after the range (exclusive). */
  end: Key;
}

/** One operation of an atomic `db.write`. */
export type WriteOperation = PutOperation | DelOperation | DeleteRangeOperation;

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
  /** @internal The order range deletions are checked in. */
  readonly comparator: Comparator;
  /** @internal Called before a range deletion is first encoded (raises the format marker). */
  beforeRangeDeletion(): void;
}

/**
 * Checks a range deletion's ends: true when it deletes something, false for `start == end` (a
 * no-op); throws `INVALID_ARGUMENT` when `start > end` or an end is not a key.
 */
export function checkRange(ucmp: Comparator, start: unknown, end: unknown, what = 'deleteRange'): boolean {
  if (!isBytesLike(start)) throw notBytes(`${what}: start`, start);
  if (!isBytesLike(end)) throw notBytes(`${what}: end`, end);
  const c = ucmp.compare(keyBytes(start), keyBytes(end));
  if (c > 0) throw invalidArgument(`${what}: start must not be after end`);
  return c < 0;
}

/**
 * Adds `op` to `buffer`, checking its shape; `expiry` turns a put's `ttl` or `expiresAt` (or the
 * default TTL) into its expiry time. Throws `INVALID_ARGUMENT` for a malformed operation (the caller
 * rolls the buffer back).
 */
export function encodeOperation(buffer: BatchBuffer, op: unknown, index: number, target: BatchTarget): void {
  if (op === null || typeof op !== 'object') {
    throw invalidArgument(`operation ${index} must be an object, got ${describe(op)}`);
  }
  const { type, key, value } = op as { type?: unknown; key?: unknown; value?: unknown };
  if (type === 'deleteRange') {
    const { start, end } = op as { start?: unknown; end?: unknown };
    if (checkRange(target.comparator, start, end, `operation ${index}`)) {
      target.beforeRangeDeletion();
      buffer.deleteRange(start as Key, end as Key);
    }
    return;
  }
  const expiry = target.expiry;
  if (!isBytesLike(key)) throw notBytes(`operation ${index}: key`, key);
  if (type === 'put') {
    if (!isBytesLike(value)) throw notBytes(`operation ${index}: value`, value);
    buffer.put(key, value, expiry.expiresAt(op, `operation ${index}:`));
  } else if (type === 'del') {
    buffer.del(key);
  } else {
    throw invalidArgument(
      `operation ${index}: type must be 'put', 'del' or 'deleteRange', got ${String(type)}`,
    );
  }
}

/**
 * A batch of puts, deletes and range deletions applied atomically by {@link WriteBatch.write}: all or nothing, also
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

  /**
   * Adds a range deletion of every key `k` with `start <= k < end` (one record however many keys it
   * covers; `start == end` adds nothing, `start > end` makes `write()` reject with `INVALID_ARGUMENT`).
   */
  deleteRange(start: Key, end: Key): this {
    this.add({ type: 'deleteRange', start, end });
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
      encodeOperation(this.buffer, op, this.buffer.count, this.target);
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
