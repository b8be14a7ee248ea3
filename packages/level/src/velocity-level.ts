import { AbstractLevel } from 'abstract-level';
import { bytewiseComparator, compareBytes } from '@velocity/core';
import { DB, type DBOptions, type ExpiryOptions } from '@velocity/db';
import { fromStoredBytes, toStoredBytes } from './encoding.js';
import { toLevelError } from './errors.js';
import { type PrivateIteratorOptions, rangeOptions, VelocityLevelIterator } from './iterator.js';
import { VelocityLevelSnapshot } from './snapshot.js';

/** Options of {@link VelocityLevel}: abstract-level's (encodings) plus Velocity's own. */
export interface VelocityLevelOptions extends Omit<DBOptions, 'createIfMissing' | 'errorIfExists'> {
  /** Default encoding of keys (abstract-level): `'utf8'`, `'buffer'`, `'view'`, `'json'`, ... */
  keyEncoding?: string;
  /** Default encoding of values (abstract-level). */
  valueEncoding?: string;
  /** Open without waiting for `open()` (abstract-level's deferred open); default true. */
  passive?: boolean;
  /** Passed to open (abstract-level). */
  createIfMissing?: boolean;
  /** Passed to open (abstract-level). */
  errorIfExists?: boolean;
}

/** Names of `DBOptions` that configure Velocity itself (not passed on to abstract-level). */
const VELOCITY_OPTIONS = new Set([
  'fs',
  'memtableSize',
  'blockSize',
  'blockRestartInterval',
  'blockCache',
  'filterPolicy',
  'compression',
  'codecs',
  'compaction',
  'comparator',
  'sync',
  'recoveryMode',
  'maxOpenFiles',
  'maxManifestSize',
  'backgroundSliceMs',
  'memtableFactory',
  'defaultTtl',
  'clock',
]);

interface ReadOptions {
  keyEncoding: string;
  valueEncoding: string;
  snapshot?: VelocityLevelSnapshot;
}

interface WriteOp extends ExpiryOptions {
  type: 'put' | 'del';
  key: Uint8Array | string;
  value?: Uint8Array | string;
}

/** The `ttl` and `expiresAt` of put options or a batch operation, when given. */
function expiryOf(options: ExpiryOptions | undefined): ExpiryOptions {
  const out: ExpiryOptions = {};
  if (options?.ttl !== undefined) out.ttl = options.ttl;
  if (options?.expiresAt !== undefined) out.expiresAt = options.expiresAt;
  return out;
}

/** The key right after `key` in byte order (`key` followed by a zero byte). */
function nextKey(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key, 0);
  return out;
}

type ClearOptions = Parameters<typeof rangeOptions>[0];

/**
 * Velocity as an `abstract-level` database: a drop-in replacement for `classic-level` that brings
 * sublevels, encodings, hooks and events of the Level ecosystem on top of Velocity.
 *
 * Beyond abstract-level: `put(key, value, { ttl })` (milliseconds) or `{ expiresAt }` (epoch
 * milliseconds), also per operation of `batch()`, make a value expire (see `DB.put`), and `clear()`
 * without a `limit` is one range deletion (`DB.deleteRange`) instead of a loop of deletes.
 *
 * @example
 * ```ts
 * import { VelocityLevel } from '@velocity/level';
 * const db = new VelocityLevel<string, unknown>('./data', { valueEncoding: 'json' });
 * await db.put('a', { x: 1 });
 * const users = db.sublevel<string, { born: number }>('users', { valueEncoding: 'json' });
 * await users.put('ada', { born: 1815 });
 * await db.close();
 * ```
 */
export class VelocityLevel<K = string, V = string> extends AbstractLevel<Uint8Array | string, K, V> {
  /** The directory the database lives in. */
  readonly location: string;
  private readonly velocityOptions: DBOptions;
  private velocity: DB | undefined;

  constructor(location: string, options: VelocityLevelOptions = {}) {
    const { keyEncoding, valueEncoding, passive, createIfMissing, errorIfExists, ...rest } = options;
    const dbOptions: Record<string, unknown> = {};
    const levelOptions: Record<string, unknown> = {
      keyEncoding,
      valueEncoding,
      passive,
      createIfMissing,
      errorIfExists,
    };
    for (const [name, value] of Object.entries(rest)) {
      if (VELOCITY_OPTIONS.has(name)) dbOptions[name] = value;
      else levelOptions[name] = value;
    }
    super(
      {
        encodings: { buffer: true, view: true, utf8: true },
        implicitSnapshots: true,
        explicitSnapshots: true,
        getSync: true,
        has: true,
        seek: true,
        permanence: true,
        createIfMissing: true,
        errorIfExists: true,
        additionalMethods: {},
        // biome-ignore lint/suspicious/noExplicitAny: level-supports' typings predate getSync and explicit snapshots.
      } as any,
      // Options that are not Velocity's go to abstract-level, which hands them to hooks and `open()`.
      // biome-ignore lint/suspicious/noExplicitAny: abstract-level's option types are generic.
      levelOptions as any,
    );
    if (typeof location !== 'string' || location === '') {
      throw new TypeError("The first argument 'location' must be a non-empty string");
    }
    this.location = location;
    this.velocityOptions = dbOptions as DBOptions;
  }

  /** The underlying Velocity database (for its stats, flush and compactRange). Throws if not open. */
  get db(): DB {
    if (this.velocity === undefined) throw new Error('VelocityLevel is not open');
    return this.velocity;
  }

  /** Opens the Velocity database (abstract-level's hook behind `open()`). @internal */
  async _open(options: { createIfMissing: boolean; errorIfExists: boolean }): Promise<void> {
    try {
      this.velocity = await DB.open(this.location, {
        ...this.velocityOptions,
        createIfMissing: options.createIfMissing,
        errorIfExists: options.errorIfExists,
      });
    } catch (error) {
      throw toLevelError(error, this.location);
    }
  }

  /** Closes the Velocity database (abstract-level's hook behind `close()`). @internal */
  async _close(): Promise<void> {
    const db = this.velocity;
    this.velocity = undefined;
    await db?.close();
  }

  /** Reads one value synchronously (abstract-level's hook behind `getSync()`). @internal */
  _getSync(key: Uint8Array | string, options: ReadOptions): Uint8Array | string | undefined {
    try {
      const value = this.db.getSync(toStoredBytes(key), { snapshot: options.snapshot?.forRead() });
      return value === undefined ? undefined : fromStoredBytes(value, options.valueEncoding);
    } catch (error) {
      throw toLevelError(error);
    }
  }

  /** Reads one value (abstract-level's hook behind `get()`). @internal */
  async _get(key: Uint8Array | string, options: ReadOptions): Promise<Uint8Array | string | undefined> {
    return this._getSync(key, options);
  }

  /** Reads values on one snapshot (abstract-level's hook behind `getMany()`). @internal */
  async _getMany(
    keys: (Uint8Array | string)[],
    options: ReadOptions,
  ): Promise<(Uint8Array | string | undefined)[]> {
    // One snapshot for the whole call, as abstract-level's implicit-snapshot contract asks.
    const snapshot = options.snapshot?.forRead() ?? this.db.snapshot();
    try {
      return keys.map((key) => {
        const value = this.db.getSync(toStoredBytes(key), { snapshot });
        return value === undefined ? undefined : fromStoredBytes(value, options.valueEncoding);
      });
    } catch (error) {
      throw toLevelError(error);
    } finally {
      if (options.snapshot === undefined) snapshot.release();
    }
  }

  /** Tells whether a key exists (abstract-level's hook behind `has()`). @internal */
  async _has(key: Uint8Array | string, options: ReadOptions): Promise<boolean> {
    return this._getSync(key, { ...options, valueEncoding: 'view' }) !== undefined;
  }

  /** Tells which keys exist (abstract-level's hook behind `hasMany()`). @internal */
  async _hasMany(keys: (Uint8Array | string)[], options: ReadOptions): Promise<boolean[]> {
    const values = await this._getMany(keys, { ...options, valueEncoding: 'view' });
    return values.map((v) => v !== undefined);
  }

  /** Writes one value (abstract-level's hook behind `put()`); passes `ttl`/`expiresAt` on. @internal */
  async _put(key: Uint8Array | string, value: Uint8Array | string, options?: ExpiryOptions): Promise<void> {
    try {
      await this.db.put(toStoredBytes(key), toStoredBytes(value), expiryOf(options));
    } catch (error) {
      throw toLevelError(error);
    }
  }

  /** Deletes one key (abstract-level's hook behind `del()`). @internal */
  async _del(key: Uint8Array | string): Promise<void> {
    try {
      await this.db.delete(toStoredBytes(key));
    } catch (error) {
      throw toLevelError(error);
    }
  }

  /** Writes operations atomically (abstract-level's hook behind `batch()`). @internal */
  async _batch(operations: WriteOp[], options: { sync?: boolean }): Promise<void> {
    try {
      await this.db.write(
        operations.map((op) =>
          op.type === 'put'
            ? {
                ...expiryOf(op),
                type: 'put' as const,
                key: toStoredBytes(op.key),
                value: toStoredBytes(op.value ?? ''),
              }
            : { type: 'del' as const, key: toStoredBytes(op.key) },
        ),
        { sync: options.sync },
      );
    } catch (error) {
      throw toLevelError(error);
    }
  }

  /** Creates an iterator (abstract-level's hook behind `iterator()`, `keys()` and `values()`). @internal */
  _iterator(options: PrivateIteratorOptions): VelocityLevelIterator {
    return new VelocityLevelIterator(this, this.db, options);
  }

  /** Takes a snapshot (abstract-level's hook behind `snapshot()`). @internal */
  _snapshot(options: object): VelocityLevelSnapshot {
    return new VelocityLevelSnapshot(this.db.snapshot(), options);
  }

  /**
   * Deletes a range of keys (abstract-level's hook behind `clear()`). Without a `limit` (and without
   * an explicit snapshot, under the default byte order) it is one `deleteRange`: `gt`/`lte` become the
   * next key in byte order, a missing upper bound the key after the last key present now. With a
   * `limit`, it deletes the first `limit` keys in the iteration order one by one. @internal
   */
  async _clear(options: ClearOptions): Promise<void> {
    const range = rangeOptions(options);
    const comparator = this.velocityOptions.comparator;
    if (
      range.limit === undefined &&
      range.snapshot === undefined &&
      (comparator === undefined || comparator === bytewiseComparator)
    ) {
      try {
        await this.clearAsRange(range);
      } catch (error) {
        throw toLevelError(error);
      }
      return;
    }
    // Deletes on a snapshot taken now, in batches, so writes issued after clear() are not affected.
    const iterator = this.db.iterator(range);
    try {
      let batch: { type: 'del'; key: Uint8Array }[] = [];
      for (const [key] of iterator) {
        batch.push({ type: 'del', key: key.slice() });
        if (batch.length >= 1000) {
          await this.db.write(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await this.db.write(batch);
    } catch (error) {
      throw toLevelError(error);
    } finally {
      iterator.close();
    }
  }

  /** The unlimited `clear()`: one range deletion of `[start, end)`. */
  private async clearAsRange(range: ReturnType<typeof rangeOptions>): Promise<void> {
    const db = this.db;
    const start = range.gte ?? (range.gt !== undefined ? nextKey(range.gt) : new Uint8Array(0));
    let end = range.lt ?? (range.lte !== undefined ? nextKey(range.lte) : undefined);
    if (end === undefined) {
      // No upper bound: up to the last key present now (later writes are not affected).
      const last = db.iterator({ reverse: true, limit: 1, gte: start });
      const entry = last.nextSync();
      last.close();
      if (entry === undefined) return;
      end = nextKey(entry[0]);
    }
    if (compareBytes(start, end) >= 0) return;
    await db.deleteRange(start, end);
  }
}
