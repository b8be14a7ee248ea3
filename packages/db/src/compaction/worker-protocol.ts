/**
 * The messages between the main thread and the compaction worker (plain data only), the interface
 * the engine uses to run a merge in the worker, and the browser-safe loader of the Node-only side.
 * @module
 */
import {
  ERROR_CODES,
  type ErrorCode,
  type RangeTombstone,
  VelocityError,
  bytewiseComparator,
} from '@velocity/core';
import { builtinCodecs, lz4Codec, noCompression } from '@velocity/sstable';
import type { TableFileFields } from '../file-meta.js';
import { isNode } from '../runtime.js';
import { BloomFilterPolicy, type FilterPolicy } from '@velocity/bloom';

/** An input table of a worker merge. */
export type WorkerInputFile = TableFileFields;

/** A merge for the worker: everything it needs, as plain data. */
export interface WorkerJob {
  /** The database directory. */
  dir: string;
  /** Input tables by level (level 0 files each get their own cursor, deeper levels one per level). */
  inputs: { level: number; files: WorkerInputFile[] }[];
  /** Ascending sequence numbers of live snapshots. */
  snapshots: number[];
  bottommost: boolean;
  targetFileSize: number;
  /** File numbers the outputs may use, in order; the job fails when it needs more. */
  outputNumbers: number[];
  blockSize: number;
  blockRestartInterval: number;
  /** Codec id of new tables: 0 (none) or 3 (lz4). */
  compression: number;
  /** Bits per key of the built-in bloom filter, or null for no filter. */
  bloomBitsPerKey: number | null;
  /** The time expiry is judged at (milliseconds since the epoch, the main thread's clock). */
  now: number;
}

/** An output table of a worker merge (the fields of a `TableFile`). */
export type WorkerOutputFile = WorkerInputFile;

/** The table options a worker job carries. */
export type WorkerTableOptions = Pick<
  WorkerJob,
  'blockSize' | 'blockRestartInterval' | 'compression' | 'bloomBitsPerKey'
>;

/**
 * A memtable flush for the worker: the frozen memtable's entries as a `FlushPayload` (see
 * `flush-payload.ts`; the buffers of `data` and `bounds` are transferred, not copied) and the table
 * to write them to.
 */
export interface WorkerFlushJob extends WorkerTableOptions {
  /** The database directory. */
  dir: string;
  /** The table's file number (allocated and protected from deletion on the main thread). */
  number: number;
  data: Uint8Array;
  bounds: Uint32Array;
  count: number;
  /** The memtable's range tombstones (written to the table's range-deletion block). */
  ranges: RangeTombstone[];
}

/** Main thread to worker, on the flush port. */
export interface WorkerFlushRequest {
  id: number;
  flush: WorkerFlushJob;
}

/** Worker to main thread, on the flush port: the table written (null when there were no entries). */
export type WorkerFlushResponse =
  | { id: number; ok: true; file: WorkerOutputFile | null }
  | { id: number; ok: false; error: WorkerErrorData };

/** What a finished worker merge reports. */
export interface WorkerResult {
  outputs: WorkerOutputFile[];
  bytesRead: number;
  bytesWritten: number;
  entriesDropped: number;
}

/** A failure, as posted by the worker. */
export interface WorkerErrorData {
  code: string;
  message: string;
  path?: string;
  errno?: string;
  /** True when the job needed more output file numbers than it was given. */
  outOfNumbers?: boolean;
}

/** Main thread to worker. */
export interface WorkerRequest {
  id: number;
  job: WorkerJob;
}

/** Worker to main thread. */
export type WorkerResponse =
  | { id: number; ok: true; result: WorkerResult }
  | { id: number; ok: false; error: WorkerErrorData };

/** Thrown on the main thread when a worker job ran out of pre-allocated output file numbers. */
export class OutOfFileNumbersError extends VelocityError {
  constructor(message: string) {
    super('IO_ERROR', message);
  }
}

/**
 * The worker thread could not start (it stopped before answering its first job). With
 * `compactionThread: 'auto'` the merge then runs on the main thread, and so do all later ones.
 */
export class WorkerUnavailableError extends VelocityError {
  constructor(message: string, cause?: unknown) {
    super('IO_ERROR', message, { cause });
  }
}

/** A worker failure as plain data. */
export function serializeError(error: unknown): WorkerErrorData {
  if (error instanceof VelocityError) {
    return {
      code: error.code,
      message: error.message,
      path: error.path,
      errno: error.errno,
      outOfNumbers: error instanceof OutOfFileNumbersError,
    };
  }
  const code = error instanceof RangeError ? 'INVALID_ARGUMENT' : 'IO_ERROR';
  return { code, message: error instanceof Error ? error.message : String(error) };
}

/** The main thread's error for a failure posted by the worker: a `VelocityError` with the same code. */
export function deserializeError(data: WorkerErrorData): VelocityError {
  const message = `compaction worker: ${data.message}`;
  if (data.outOfNumbers === true) return new OutOfFileNumbersError(message);
  const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(data.code)
    ? (data.code as ErrorCode)
    : 'IO_ERROR';
  return new VelocityError(code, message, { path: data.path, errno: data.errno });
}

/** Runs merges and memtable flushes in a worker thread. One per open database. */
export interface MergeWorker {
  /** Runs `job` in the worker (starting it if needed). Rejects with the job's `VelocityError`. */
  run(job: WorkerJob): Promise<WorkerResult>;
  /**
   * Writes a flush's table in the worker (starting it if needed), ahead of a merge that runs meanwhile
   * (the merge pauses between steps). Resolves with the table, fsynced, its directory entry fsynced
   * too, or undefined for an empty payload; rejects with the failure's `VelocityError`.
   */
  flush(job: WorkerFlushJob): Promise<WorkerOutputFile | undefined>;
  /** Stops the worker; a running job rejects with `CLOSED` once the thread has exited. */
  close(): Promise<void>;
}

/** Where compaction merges run: see `DBOptions.compactionThread`. */
export type CompactionThreadMode = 'auto' | 'worker' | 'main';

/** The compaction worker's CPU priority: see `DBOptions.compactionThreadPriority`. */
export type CompactionThreadPriority = 'low' | 'normal';

/** The Node-only side, loaded on demand. */
interface CompactionThreadModule {
  workerIneligibility(options: WorkerEligibilityOptions): string | undefined;
  createMergeWorker(fallBackWhenUnavailable: boolean, options: { lowPriority: boolean }): MergeWorker;
}

/**
 * The bits per key the worker rebuilds the filter policy with: the built-in `BloomFilterPolicy`'s
 * own (the only policy a worker may run with, see `workerIneligibility`), or null for no filter.
 */
export function workerBloomBits(policy: FilterPolicy | null): number | null {
  if (policy === null) return null;
  return policy instanceof BloomFilterPolicy ? policy.bitsPerKey : DEFAULT_BLOOM_BITS;
}

/** What a worker job carries for a policy that no worker runs with (never used to build a filter). */
const DEFAULT_BLOOM_BITS = 10;

/** The options eligibility depends on. */
export interface WorkerEligibilityOptions {
  fs: unknown;
  comparator: unknown;
  filterPolicy: unknown;
  compression: unknown;
  codecs: readonly unknown[];
  compactionFilter?: unknown;
  /** See `DBOptions.compactionThreadPriority` (default `'low'`). */
  compactionThreadPriority?: CompactionThreadPriority;
}

/** A variable on purpose: bundlers leave a non-literal dynamic import alone (see default-fs.ts). */
const THREAD_MODULE = './worker-host.js';

/**
 * Why merges cannot run in any worker with these options, or undefined when they can: a worker rebuilds
 * only the built-in comparator, filter and codecs from a job's plain fields, and cannot be sent a
 * compaction filter.
 */
export function configurationIneligibility(options: WorkerEligibilityOptions): string | undefined {
  if (options.compactionFilter !== undefined) {
    return 'a compactionFilter is set (a function cannot be sent to the worker)';
  }
  if (options.comparator !== bytewiseComparator) return 'the comparator is not the built-in bytewise one';
  if (
    options.filterPolicy !== null &&
    Object.getPrototypeOf(options.filterPolicy) !== BloomFilterPolicy.prototype
  ) {
    return 'the filter policy is not the built-in BloomFilterPolicy';
  }
  if (options.compression !== noCompression && options.compression !== lz4Codec) {
    return 'the compression codec is not a built-in one (none or lz4Codec)';
  }
  if (options.codecs.some((c) => !builtinCodecs.includes(c as never))) {
    return 'option codecs names a codec the worker does not know';
  }
  return undefined;
}

/**
 * Decides, at open, where merges run. Returns a worker for `'auto'` and `'worker'` when the
 * configuration allows one, else undefined (merges run in slices on the main thread); throws
 * `INVALID_ARGUMENT` for `'worker'` with a configuration that does not allow one, saying why.
 * `supplied` (`DBOptions.compactionWorker`) replaces Node's worker thread; when it goes unused it is
 * closed here.
 */
export async function loadMergeWorker(
  mode: CompactionThreadMode,
  options: WorkerEligibilityOptions,
  supplied?: MergeWorker,
): Promise<MergeWorker | undefined> {
  let reason: string | undefined;
  let mod: CompactionThreadModule | undefined;
  if (mode === 'main') {
    reason = "compactionThread is 'main'";
  } else if (supplied !== undefined) {
    reason = configurationIneligibility(options);
  } else if (options.compactionFilter !== undefined) {
    reason = configurationIneligibility(options);
  } else if (!isNode()) {
    reason = 'worker threads need Node.js';
  } else {
    try {
      const specifier = THREAD_MODULE;
      mod = (await import(/* @vite-ignore */ specifier)) as CompactionThreadModule;
      reason = mod.workerIneligibility(options);
    } catch (error) {
      reason = `cannot load the worker support: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (reason === undefined && supplied !== undefined) return supplied;
  if (reason !== undefined || mod === undefined) {
    await supplied?.close();
    if (mode === 'worker') {
      throw new VelocityError(
        'INVALID_ARGUMENT',
        `option compactionThread 'worker' is not possible: ${reason}`,
      );
    }
    return undefined;
  }
  return mod.createMergeWorker(mode === 'auto', {
    lowPriority: options.compactionThreadPriority !== 'normal',
  });
}
