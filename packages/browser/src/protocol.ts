/**
 * The messages between the page ({@link BrowserDB}) and the database worker. Requests travel in
 * batches (every call made in one tick of the page goes in one `postMessage`), and so do replies.
 * @module
 */
import type { IteratorOptions, Key, Value } from '@velocity/db';
import type { WireError } from './wire-error.js';

/** Bounds, order and limit of an iterator, as sent to the worker (snapshots go by id). */
export type WireIteratorOptions = Omit<IteratorOptions, 'snapshot'>;

/** One write of a batch. */
export type WireOperation =
  | { type: 'put'; key: Key; value: Value }
  | { type: 'del'; key: Key }
  | { type: 'deleteRange'; start: Key; end: Key };

/** A request without its id. */
export type RequestBody =
  | { op: 'put'; key: Key; value: Value; sync?: boolean }
  | { op: 'del'; key: Key; sync?: boolean }
  | { op: 'write'; ops: WireOperation[]; sync?: boolean }
  | { op: 'get'; key: Key; snapshot?: number }
  | { op: 'getMany'; keys: Key[]; snapshot?: number }
  | { op: 'iterOpen'; iterator: number; options: WireIteratorOptions; snapshot?: number }
  | { op: 'iterNext'; iterator: number; size: number }
  | { op: 'iterClose'; iterator: number }
  | { op: 'snapshot'; snapshot: number }
  | { op: 'snapshotRelease'; snapshot: number }
  | { op: 'flush' }
  | { op: 'compactRange'; start?: Key; end?: Key }
  | { op: 'stats' }
  | { op: 'close' };

/** A request: a body and the id its reply carries. */
export type Request = RequestBody & { id: number };

/** The answer to one request. */
export type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: WireError };

/** Options of the database the worker opens (only what can cross `postMessage`). */
export interface WireOpenOptions {
  /** Create the database when missing. */
  createIfMissing?: boolean;
  /** Fail with `ALREADY_EXISTS` when it exists. */
  errorIfExists?: boolean;
  /** Memtable budget in bytes. */
  memtableSize?: number;
  /** Table block size in bytes. */
  blockSize?: number;
  /** Bytes for the block cache and resident tables (`DBOptions.memoryBudget`; `'auto'`: 64 MiB here). */
  memoryBudget?: number | 'auto';
  /** Default of the `sync` write option. */
  sync?: boolean;
  /** Milliseconds of background work between turns of the worker's event loop (default 8 here). */
  backgroundSliceMs?: number;
  /**
   * Run compaction merges and memtable flush builds in a second worker (the merge worker, with its own
   * OPFS handles), so the database worker's thread only serves calls. Default: true where
   * `navigator.hardwareConcurrency` is 4 or more (on 2 cores it made gets right after a fill slower:
   * see the package README). Where it cannot start, they run on the database worker's thread.
   */
  mergeWorker?: boolean;
  /** Limit on the bytes of the pool, below the browser's quota (for tests). */
  quotaBytes?: number;
  /** How long to wait for a lock held elsewhere before `LOCKED`, in ms (default 0). */
  lockTimeoutMs?: number;
}

/** Page to worker. */
export type ToWorker =
  | { type: 'open'; name: string; options: WireOpenOptions; shared?: SharedArrayBuffer }
  | { type: 'requests'; requests: Request[] };

/** Worker to page. */
export type FromWorker =
  | { type: 'opened' }
  | { type: 'open-failed'; error: WireError }
  | { type: 'replies'; replies: Reply[] }
  | { type: 'event'; name: string; event: unknown };
