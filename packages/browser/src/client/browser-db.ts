/**
 * The page's handle on a database that runs in a dedicated worker on OPFS.
 * @module
 */
import { VelocityError } from '@velocity/core';
import type {
  CompactRangeOptions,
  DBEventListener,
  DBEventName,
  DBStats,
  Key,
  Value,
  WriteOperation,
  WriteOptions,
} from '@velocity/db';
import type { RequestBody, WireOperation } from '../protocol.js';
import { fromWireError } from '../wire-error.js';
import { BrowserBatch } from './browser-batch.js';
import { type BrowserIterator, type BrowserIteratorOptions, openIterator } from './browser-iterator.js';
import { BrowserSnapshot } from './browser-snapshot.js';
import type { RpcChannel } from './rpc.js';

/**
 * A Velocity database opened by `openBrowserDB`: the engine runs in a dedicated worker on OPFS and
 * every method here is asynchronous. Calls made in one tick travel to the worker in one message, so
 * `Promise.all` over many puts costs one round trip, and a loop of awaited puts one each. Errors are
 * `VelocityError`s with the engine's codes (`READ_ONLY` after the storage quota ran out, `CLOSED`
 * after {@link BrowserDB.close}).
 */
export class BrowserDB {
  private closing: Promise<void> | undefined;
  private readonly listeners = new Map<string, Set<(event: never) => void>>();

  /** @internal Use `openBrowserDB`. */
  constructor(
    private readonly rpc: RpcChannel,
    /** The database's name (its OPFS directory is `velocity/<name>`). */
    readonly name: string,
  ) {
    rpc.onEvent = (eventName, event) => this.emit(eventName, event);
  }

  /** False once `close()` was called. */
  get isOpen(): boolean {
    return this.closing === undefined;
  }

  private call<T>(body: RequestBody): Promise<T> {
    if (this.closing !== undefined) return Promise.reject(new VelocityError('CLOSED', 'database is closed'));
    return this.rpc.call<T>(body);
  }

  /** Stores `value` under `key`. */
  put(key: Key, value: Value, options?: WriteOptions): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(new VelocityError('CLOSED', 'database is closed'));
    if (value === undefined) return this.call({ op: 'put', key, value, sync: options?.sync }); // rejected there
    return this.rpc.write(key, value, options?.sync);
  }

  /** Removes `key` (no error when it is absent). */
  delete(key: Key, options?: WriteOptions): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(new VelocityError('CLOSED', 'database is closed'));
    return this.rpc.write(key, undefined, options?.sync);
  }

  /** Same as {@link BrowserDB.delete}. */
  del(key: Key, options?: WriteOptions): Promise<void> {
    return this.delete(key, options);
  }

  /** Applies puts, deletes and range deletions atomically. */
  write(ops: readonly WriteOperation[], options?: WriteOptions): Promise<void> {
    const wire: WireOperation[] = ops.map((op) =>
      op.type === 'put'
        ? { type: 'put', key: op.key, value: op.value }
        : op.type === 'del'
          ? { type: 'del', key: op.key }
          : { type: 'deleteRange', start: op.start, end: op.end },
    );
    return this.call({ op: 'write', ops: wire, sync: options?.sync });
  }

  /** A chained batch, written atomically by its `write()`. */
  batch(): BrowserBatch {
    return new BrowserBatch((ops, options) => this.call({ op: 'write', ops, sync: options?.sync }));
  }

  /** The value of `key`, or undefined. */
  get(key: Key): Promise<Uint8Array | undefined> {
    if (this.closing !== undefined) return Promise.reject(new VelocityError('CLOSED', 'database is closed'));
    return this.rpc.get(key);
  }

  /** The values of `keys`, in order (undefined where absent). */
  getMany(keys: readonly Key[]): Promise<(Uint8Array | undefined)[]> {
    return this.call({ op: 'getMany', keys: [...keys] });
  }

  /** An async iterator over a consistent view, within bounds, optionally reversed and limited. */
  iterator(options: BrowserIteratorOptions = {}): BrowserIterator {
    if (this.closing !== undefined) throw new VelocityError('CLOSED', 'database is closed');
    return openIterator(this.rpc, options);
  }

  /** A snapshot of the database after every call made before this one. */
  snapshot(): BrowserSnapshot {
    if (this.closing !== undefined) throw new VelocityError('CLOSED', 'database is closed');
    const id = this.rpc.newHandleId();
    this.rpc.call({ op: 'snapshot', snapshot: id }).catch(() => {}); // reported by the snapshot's reads
    return new BrowserSnapshot(this.rpc, id);
  }

  /** Writes the memtable to a table and waits for it. */
  flush(): Promise<void> {
    return this.call({ op: 'flush' });
  }

  /** Compacts the key range (inclusive ends; the whole database without options). */
  compactRange(options: CompactRangeOptions = {}): Promise<void> {
    return this.call({ op: 'compactRange', start: options.start, end: options.end });
  }

  /** Levels, files, memtable, write and read counters, from the worker. */
  stats(): Promise<DBStats> {
    return this.call({ op: 'stats' });
  }

  /** Listens to an engine event (`flush`, `compaction`, `write-stall`, `error`), forwarded from the worker. */
  on<E extends DBEventName>(event: E, listener: DBEventListener<E>): this {
    let set = this.listeners.get(event);
    if (set === undefined) this.listeners.set(event, (set = new Set()));
    set.add(listener as (event: never) => void);
    return this;
  }

  /** Stops listening. */
  off<E extends DBEventName>(event: E, listener: DBEventListener<E>): this {
    this.listeners.get(event)?.delete(listener as (event: never) => void);
    return this;
  }

  private emit(name: string, event: unknown): void {
    const payload =
      name === 'error'
        ? { error: fromWireError((event as { error: Parameters<typeof fromWireError>[0] }).error) }
        : event;
    for (const listener of this.listeners.get(name) ?? []) (listener as (e: unknown) => void)(payload);
  }

  /**
   * Closes the database (waiting for the calls already made), releases its OPFS handles and Web Lock,
   * and ends the worker. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= this.rpc
      .call<void>({ op: 'close' })
      .finally(() => this.rpc.fail(new VelocityError('CLOSED', 'database is closed')));
    return this.closing;
  }
}
