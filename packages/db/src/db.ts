/**
 * The public face of the engine.
 * @module
 */
import { type Comparator, VelocityError, invalidArgument } from '@velocity/core';
import { loadDefaultFileSystem } from './default-fs.js';
import type { Engine } from './engine.js';
import type { DBEventListener, DBEventName } from './events.js';
import {
  type Key,
  type Value,
  asVelocityError,
  describe,
  isBytesLike,
  keyBytes,
  notBytes,
  optionalKey,
  snapshotOption,
  syncOption,
} from './input.js';
import type { DBIterator, IteratorOptions } from './iterator.js';
import { type DBOptions, resolveOptions } from './options.js';
import { Reader } from './read.js';
import { openEngine } from './recovery.js';
import { openReadOnlyEngine, refreshEngine } from './read-only-open.js';
import { type CheckpointInfo, checkpointEngine } from './checkpoint.js';
import type { Snapshot } from './snapshot.js';
import { type DBStats, collectStats, getProperty } from './stats.js';
import {
  WriteBatch,
  type WriteOperation,
  type WriteOptions,
  checkRange,
  encodeOperation,
} from './write-batch.js';
import type { BatchBuffer } from './batch-buffer.js';
import { WriteQueue } from './write-queue.js';
import { loadMergeWorker } from './compaction/worker-protocol.js';
import { holdHelperPriority, type ReleaseHelperPriority } from './helper-priority.js';
import { type ExpiryOptions, ExpiryPolicy } from './expiry-options.js';
import { EXPIRY_FORMAT_VERSION, RANGE_DELETE_FORMAT_VERSION, raiseFormatMarker } from './format-marker.js';

/** Options of `put`: those of every write, and a time to live. */
export interface PutOptions extends WriteOptions, ExpiryOptions {}

/** Options of point reads. */
export interface ReadOptions {
  /** Read at this snapshot instead of the latest state. */
  snapshot?: Snapshot;
}

/** Options of `compactRange`. Both ends are inclusive; a missing end is open. */
export interface CompactRangeOptions {
  /** First user key of the range (inclusive); from the first key when missing. */
  start?: Key;
  /** Last user key of the range (inclusive); to the last key when missing. */
  end?: Key;
}

function closedError(): VelocityError {
  return new VelocityError('CLOSED', 'database is closed');
}

/**
 * An open Velocity database: an ordered map from byte keys to byte values, stored in a directory.
 *
 * @example
 * ```ts
 * import { DB } from '@velocity/db';
 * const db = await DB.open('./my-db');
 * await db.put('hello', 'world');
 * const value = await db.get('hello'); // Uint8Array of "world"
 * await db.close();
 * ```
 */
export class DB {
  private readonly queue: WriteQueue;
  private readonly reader: Reader;
  private readonly defaultSync: boolean;
  private closing: Promise<void> | undefined;
  /** @internal Expiry times of puts (see {@link PutOptions}). */
  readonly expiry: ExpiryPolicy;
  /** @internal The key order (range deletions are checked in it). */
  readonly comparator: Comparator;
  private rangeFormatRaised = false;

  private constructor(
    /** The directory the database lives in. */
    readonly location: string,
    private readonly engine: Engine,
    /** Gives back this handle's hold on V8's helper threads' priority (see `helperThreadPriority`). */
    private readonly releaseHelpers: ReleaseHelperPriority,
  ) {
    this.queue = new WriteQueue(engine);
    this.reader = new Reader(engine);
    this.defaultSync = engine.options.sync;
    this.comparator = engine.ucmp;
    const { fs, clock, defaultTtl } = engine.options;
    this.expiry = new ExpiryPolicy(clock, defaultTtl, () =>
      raiseFormatMarker(fs, location, EXPIRY_FORMAT_VERSION),
    );
  }

  /**
   * Opens the database in directory `location`, creating it unless `createIfMissing` is false.
   * Rejects with `LOCKED` when another handle has it open, `NOT_A_DATABASE` for a non-empty directory
   * that is not a Velocity database (left untouched), `FORMAT_VERSION` for a newer format,
   * `INVALID_ARGUMENT` for a comparator whose name differs from the recorded one, `ALREADY_EXISTS` with
   * `errorIfExists`, `NOT_FOUND` when missing and `createIfMissing` is false, `CORRUPTION` for damage.
   * With `readOnly: true` it takes no lock (so `LOCKED` never happens), changes nothing, creates
   * nothing (`NOT_FOUND` when missing) and rejects writes with `OPENED_READ_ONLY`.
   */
  static async open(location: string, options: DBOptions = {}): Promise<DB> {
    if (typeof location !== 'string' || location === '') {
      throw invalidArgument('location must be a non-empty string');
    }
    if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
    const fs = options.fs ?? (await loadDefaultFileSystem());
    const resolved = resolveOptions(options, fs);
    const dir = location.length > 1 && location.endsWith('/') ? location.slice(0, -1) : location;
    // Lowered before the engine starts, so recovery and the first background work run that way too.
    const releaseHelpers = await holdHelperPriority(resolved.helperThreadPriority);
    try {
      if (resolved.readOnly) return new DB(dir, await openReadOnlyEngine(dir, resolved), releaseHelpers);
      const worker = await loadMergeWorker(resolved.compactionThread, resolved, options.compactionWorker);
      try {
        return new DB(dir, await openEngine(dir, resolved, worker), releaseHelpers);
      } catch (error) {
        await worker?.close();
        throw error;
      }
    } catch (error) {
      releaseHelpers();
      throw error;
    }
  }

  /** True until `close()` is called. */
  get isOpen(): boolean {
    return this.closing === undefined;
  }

  // ---- writes -------------------------------------------------------------------------------------

  /**
   * Sets `key` to `value`. With `options.ttl` (milliseconds) or `options.expiresAt` (milliseconds
   * since the epoch), or a `defaultTtl` option, the value expires: from then on it reads as deleted,
   * and compactions remove it.
   */
  put(key: Key, value: Value, options?: PutOptions): Promise<void> {
    try {
      const sync = this.writeGuard(options);
      if (!isBytesLike(key)) throw notBytes('key', key);
      if (!isBytesLike(value)) throw notBytes('value', value);
      return this.queue.put(key, value, sync, this.expiry.expiresAt(options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Removes `key` (no error when it is absent). */
  delete(key: Key, options?: WriteOptions): Promise<void> {
    try {
      const sync = this.writeGuard(options);
      if (!isBytesLike(key)) throw notBytes('key', key);
      return this.queue.del(key, sync);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Alias of {@link DB.delete}. */
  del(key: Key, options?: WriteOptions): Promise<void> {
    return this.delete(key, options);
  }

  /**
   * Deletes every key `k` with `start <= k < end` (in the database's key order) with one range
   * tombstone: one log record and one sequence number however many keys the range holds. Reads,
   * iterators and snapshots taken after it no longer see those keys; compactions drop them. An empty
   * range (`start == end`) writes (and syncs) nothing and resolves; `start > end` rejects with
   * `INVALID_ARGUMENT`. The first range deletion raises the directory's format version to 3 (older
   * Velocity versions then refuse to open it).
   *
   * @example
   * ```ts
   * import { DB } from '@velocity/db';
   * const db = await DB.open('./my-db');
   * await db.deleteRange('user:1000', 'user:2000');
   * await db.close();
   * ```
   */
  deleteRange(start: Key, end: Key, options?: WriteOptions): Promise<void> {
    try {
      const sync = this.writeGuard(options);
      if (!checkRange(this.comparator, start, end)) return Promise.resolve();
      this.beforeRangeDeletion();
      return this.queue.batch((buffer) => buffer.deleteRange(start, end), sync);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** @internal Raises the format marker before the first range deletion reaches the log. */
  beforeRangeDeletion(): void {
    if (this.rangeFormatRaised) return;
    raiseFormatMarker(this.engine.fs, this.location, RANGE_DELETE_FORMAT_VERSION);
    this.rangeFormatRaised = true;
  }

  /**
   * Applies `ops` atomically: after a crash either all of them or none are there. A malformed
   * operation rejects with `INVALID_ARGUMENT` and nothing is applied.
   */
  write(ops: readonly WriteOperation[], options?: WriteOptions): Promise<void> {
    try {
      const sync = this.writeGuard(options);
      if (!Array.isArray(ops)) throw invalidArgument(`operations must be an array, got ${describe(ops)}`);
      return this.queue.batch((buffer) => {
        for (let i = 0; i < ops.length; i++) encodeOperation(buffer, ops[i], i, this);
      }, sync);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A chained batch: `db.batch().put(k, v).del(k2).deleteRange(a, b).write()`. */
  batch(): WriteBatch {
    return new WriteBatch(this);
  }

  /** @internal Commits a chained batch. */
  writeEncoded(batch: BatchBuffer, options: WriteOptions | undefined): Promise<void> {
    try {
      const sync = this.writeGuard(options);
      return this.queue.batch((buffer) => buffer.append(batch), sync);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The checks every write makes first, in this order: `CLOSED` after close, `READ_ONLY` after a
   * write-path failure, `INVALID_ARGUMENT` for malformed options. Returns the write's `sync`.
   */
  private writeGuard(options: WriteOptions | undefined): boolean {
    if (this.closing !== undefined) throw closedError();
    const error = this.engine.writeError();
    if (error !== undefined) throw error;
    return syncOption(options, this.defaultSync);
  }

  // ---- reads --------------------------------------------------------------------------------------

  /**
   * The value of `key` (a copy), or undefined. Throws `CLOSED` after close.
   *
   * Values are private copies, but values of 65 to 1024 bytes may share their underlying
   * `ArrayBuffer` with other values (as pooled Node `Buffer`s do; see `copyBytes` in
   * `@velocity/core`): use `byteOffset` and `byteLength` with `.buffer`, and do not transfer it.
   */
  getSync(key: Key, options?: ReadOptions): Uint8Array | undefined {
    if (this.closing !== undefined) throw closedError();
    const k = keyBytes(key);
    return this.reader.get(k, this.reader.sequenceFor(snapshotOption(options)));
  }

  /** The value of `key` (a copy), or undefined. */
  get(key: Key, options?: ReadOptions): Promise<Uint8Array | undefined> {
    try {
      return this.engine.loop.settle(this.getSync(key, options));
    } catch (error) {
      return Promise.reject(asVelocityError(error));
    }
  }

  /** The values of `keys`, all read at one point in time. */
  getMany(keys: readonly Key[], options?: ReadOptions): Promise<(Uint8Array | undefined)[]> {
    try {
      return this.engine.loop.settle(this.getManySync(keys, options), keys.length);
    } catch (error) {
      return Promise.reject(asVelocityError(error));
    }
  }

  /** Synchronous {@link DB.getMany}. */
  getManySync(keys: readonly Key[], options?: ReadOptions): (Uint8Array | undefined)[] {
    if (this.closing !== undefined) throw closedError();
    if (!Array.isArray(keys)) throw invalidArgument(`keys must be an array, got ${describe(keys)}`);
    const converted = keys.map((k) => keyBytes(k));
    const sequence = this.reader.sequenceFor(snapshotOption(options));
    return converted.map((k) => this.reader.get(k, sequence));
  }

  /** True when `key` has a value. */
  async has(key: Key, options?: ReadOptions): Promise<boolean> {
    return (await this.get(key, options)) !== undefined;
  }

  /** An iterator over `[key, value]` pairs in key order (see {@link IteratorOptions}). */
  iterator(options?: IteratorOptions): DBIterator {
    if (this.closing !== undefined) throw closedError();
    return this.reader.iterator(options);
  }

  /** Iterates keys only. */
  keys(options?: IteratorOptions): IterableIterator<Uint8Array> & AsyncIterable<Uint8Array> {
    return this.iterator(options).keys();
  }

  /** Iterates values only. */
  values(options?: IteratorOptions): IterableIterator<Uint8Array> & AsyncIterable<Uint8Array> {
    return this.iterator(options).values();
  }

  /** A point-in-time view for reads; call `release()` when done. */
  snapshot(): Snapshot {
    if (this.closing !== undefined) throw closedError();
    return this.engine.snapshots.create(this.engine.versions.lastSequence);
  }

  // ---- maintenance --------------------------------------------------------------------------------

  /**
   * A handle opened with `readOnly: true`: catches up with the process writing the database (the
   * manifest's new edits, or the new manifest it switched to, and the log records written since).
   * Reads see the new state once it resolves; iterators and snapshots made before keep theirs. A
   * writable handle is always current: it resolves at once.
   */
  async refresh(): Promise<void> {
    if (this.closing !== undefined) throw closedError();
    await refreshEngine(this.engine);
  }

  /** Writes the memtable to a level-0 table now and resolves when it is recorded. */
  async flush(): Promise<void> {
    if (this.closing !== undefined) throw closedError();
    await this.queue.whenIdle();
    await this.engine.flushMemTables();
  }

  /**
   * Flushes, then compacts every table overlapping `[start, end]` (both inclusive, missing = open)
   * into the deepest level that holds data (level 1 when only level 0 does), dropping overwritten
   * versions and tombstones no snapshot needs.
   */
  async compactRange(options: CompactRangeOptions = {}): Promise<void> {
    if (this.closing !== undefined) throw closedError();
    if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
    const start = optionalKey('start', options.start);
    const end = optionalKey('end', options.end);
    await this.flush();
    await this.engine.compactRange(start, end);
  }

  /**
   * Makes `dir` (missing or empty) an openable copy of the database as of this call, while writes go
   * on: every write acknowledged before the call is in it, no write is half in it. Tables are
   * hard-linked where the file system can (`FileSystem.link`) and copied otherwise; the manifest and
   * the logs are copied up to the moment of the call; `CURRENT` and then the format marker are written
   * last, so a checkpoint cut short never opens; every file and the directory are fsynced. Rejects with
   * `ALREADY_EXISTS` when `dir` is not empty and `OPENED_READ_ONLY` on a read-only handle.
   *
   * @example
   * ```ts
   * import { MemoryFileSystem } from '@velocity/core';
   * import { DB } from '@velocity/db';
   * const fs = new MemoryFileSystem();
   * const db = await DB.open('/db', { fs });
   * await db.put('k', 'v');
   * const info = await db.checkpoint('/db-copy');
   * const copy = await DB.open('/db-copy', { fs }); // holds 'k'
   * console.log(info.linkedTables, info.bytesCopied);
   * ```
   */
  async checkpoint(dir: string): Promise<CheckpointInfo> {
    if (this.closing !== undefined) throw closedError();
    if (typeof dir !== 'string' || dir === '') throw invalidArgument('dir must be a non-empty string');
    return checkpointEngine(this.engine, dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir);
  }

  /** A named property as text, or undefined (see `getProperty` in the docs for the names). */
  getProperty(name: string): string | undefined {
    if (this.closing !== undefined) throw closedError();
    return getProperty(this.engine, this.reader, name);
  }

  /** Levels, files, bytes, cache hit ratio, write amplification and other counters. */
  stats(): DBStats {
    if (this.closing !== undefined) throw closedError();
    return collectStats(this.engine, this.reader);
  }

  /** Subscribes to an event: `flush`, `compaction`, `write-stall` or `error`. */
  on<E extends DBEventName>(event: E, listener: DBEventListener<E>): this {
    this.engine.events.on(event, listener);
    return this;
  }

  /** Unsubscribes a listener. */
  off<E extends DBEventName>(event: E, listener: DBEventListener<E>): this {
    this.engine.events.off(event, listener);
    return this;
  }

  /**
   * Waits for queued writes, stops background work at a safe point, closes iterators and files and
   * releases the lock. Later calls reject with `CLOSED`. Safe to call twice.
   */
  close(): Promise<void> {
    if (this.closing === undefined) this.closing = this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    try {
      await this.queue.whenIdle();
      this.reader.closeAll();
      await this.engine.close();
    } finally {
      this.releaseHelpers();
    }
  }
}
