/**
 * The body of a compaction worker, on any synchronous `FileSystem`: a merge ({@link WorkerJob}) or a
 * memtable flush ({@link WorkerFlushJob}) described as plain data, run with the same `Merge`,
 * `CompactionSink`s and table builder as the main thread. `@velocity/browser`'s merge worker runs
 * these on its own OPFS handles; Node's worker thread (`worker-entry.ts`) runs them on a
 * `NodeFileSystem` and fsyncs the directory after.
 *
 * Durability is the caller's to finish: every output is fsynced and closed (its sink's `sync()`, or a
 * `syncAsync()` awaited) before the promise resolves, but the directory is not fsynced here.
 * @module
 */
import { BloomFilterPolicy } from '@velocity/bloom';
import { type FileSystem, InternalKeyComparator, VelocityError, bytewiseComparator } from '@velocity/core';
import { type Codec, type TableBuilderOptions, builtinCodecs } from '@velocity/sstable';
import { TableFile } from '../file-meta.js';
import { PayloadIterator } from '../flush-payload.js';
import { internalFilterPolicy, stripTrailer } from '../internal-filter.js';
import { TableCache } from '../table-cache.js';
import { PendingSyncs, writeTableNow } from '../table-writer.js';
import { Merge } from './merge.js';
import {
  OutOfFileNumbersError,
  type WorkerFlushJob,
  type WorkerJob,
  type WorkerOutputFile,
  type WorkerResult,
  type WorkerTableOptions,
} from './worker-protocol.js';

/** Table readers a job keeps open at once (the cursors open one table per input level at a time). */
const OPEN_TABLES = 64;

/** How a host drives {@link runMergeJob}. */
export interface MergeJobHooks {
  /** Entries merged per step. Default 4096 (a few milliseconds). */
  stepEntries?: number;
  /**
   * Awaited after every step: the host turns its event loop there (answers flushes that arrived,
   * fetches more output files). Default: none, the merge runs to its end in one go.
   */
  betweenSteps?(): Promise<void>;
}

/** The built-in codec with `id` (a job names codecs by id). */
function builtinCodec(id: number): Codec {
  const found = builtinCodecs.find((c) => c.id === id);
  if (found === undefined) throw new VelocityError('INVALID_ARGUMENT', `no built-in codec with id ${id}`);
  return found;
}

/** The table builder options (and the comparator) that a job's plain fields stand for. */
function builderSetup(fields: WorkerTableOptions): {
  icmp: InternalKeyComparator;
  options: TableBuilderOptions;
} {
  const icmp = new InternalKeyComparator(bytewiseComparator);
  const bits = fields.bloomBitsPerKey;
  return {
    icmp,
    options: {
      comparator: icmp,
      filterPolicy: bits === null ? undefined : internalFilterPolicy(new BloomFilterPolicy(bits)),
      filterKey: stripTrailer,
      blockSize: fields.blockSize,
      blockRestartInterval: fields.blockRestartInterval,
      compression: builtinCodec(fields.compression),
    },
  };
}

/**
 * Runs merge `job` on `fs` to its end. Resolves with its outputs once each is fsynced and closed;
 * on failure removes every output it opened and rejects (with {@link OutOfFileNumbersError} when it
 * needed more than `job.outputNumbers`).
 */
export async function runMergeJob(
  fs: FileSystem,
  job: WorkerJob,
  hooks: MergeJobHooks = {},
): Promise<WorkerResult> {
  const { icmp, options } = builderSetup(job);
  const readers = new TableCache(
    fs,
    job.dir,
    { comparator: icmp, filterPolicy: options.filterPolicy, filterKey: stripTrailer },
    'job:',
    OPEN_TABLES,
  );
  const syncs = new PendingSyncs();
  const numbers = job.outputNumbers;
  let taken = 0;
  let merge: Merge | undefined;
  try {
    merge = new Merge({
      icmp,
      inputs: job.inputs.map(({ level, files }) => ({ level, files: files.map((f) => new TableFile(f)) })),
      tables: readers,
      snapshots: job.snapshots,
      bottommost: job.bottommost,
      targetFileSize: job.targetFileSize,
      now: job.now,
      fs,
      dir: job.dir,
      builderOptions: options,
      syncs,
      nextNumber: () => {
        if (taken === numbers.length) {
          throw new OutOfFileNumbersError(`the job needs more than ${numbers.length} output files`);
        }
        return numbers[taken++];
      },
    });
    const step = hooks.stepEntries ?? 4096;
    while (!merge.job.step(step)) await hooks.betweenSteps?.();
    await syncs.settle();
    const { bytesRead, bytesWritten, entriesDropped } = merge.job;
    return { outputs: merge.outputFiles().map((f) => f.fields()), bytesRead, bytesWritten, entriesDropped };
  } catch (error) {
    await syncs.settle().catch(() => {}); // files close only once no fsync uses them
    merge?.discard();
    throw error;
  } finally {
    merge?.close();
    readers.close();
  }
}

/**
 * Writes flush `job`'s table on `fs` (built in one go, fsynced and closed); null for an empty
 * payload. On failure the partial file is removed and the promise rejects.
 */
export async function runFlushJob(fs: FileSystem, job: WorkerFlushJob): Promise<WorkerOutputFile | null> {
  const { options } = builderSetup(job);
  const it = new PayloadIterator(job);
  const table = await writeTableNow(fs, job.dir, options, it, job.number, job.ranges);
  return table === undefined ? null : table.fields();
}
