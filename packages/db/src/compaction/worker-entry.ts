/**
 * The compaction worker: a Node worker thread that runs the merges of compactions, so that they use a
 * second core (LevelDB's background thread) instead of slices of the event loop. Started by
 * `compaction-thread.ts`; never loaded in a browser.
 *
 * A job ({@link WorkerJob}) is plain data. The worker opens the input tables itself (a
 * `NodeFileSystem`, its own `TableCache`, no block cache), runs the same {@link Merge} as the main
 * thread (the same `CompactionJob`, `LevelIterator`s and `CompactionSink`s, so the same table
 * format), and posts back the outputs' descriptions. It touches nothing else: the manifest, the
 * versions and file deletion stay on the main thread.
 *
 * Durability: every output is fsynced and closed by its sink, and the directory is fsynced, before the
 * worker reports success; only then does the main thread write the manifest edit that names the
 * outputs. A crash (of the process, or of this thread) in the middle of a job therefore leaves only
 * table files that no manifest names, and the next open deletes them as obsolete. The output numbers
 * were allocated on the main thread and are protected from obsolete-file deletion while the job runs;
 * the worker never makes up a number, and fails the job when it needs more than it was given.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { BloomFilterPolicy } from '@velocity/bloom';
import { InternalKeyComparator, VelocityError, bytewiseComparator } from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import { type Codec, type TableBuilderOptions, builtinCodecs } from '@velocity/sstable';
import { internalFilterPolicy, stripTrailer } from '../internal-filter.js';
import { TableFile } from '../file-meta.js';
import { Merge } from './merge.js';
import { TableCache } from '../table-cache.js';
import {
  OutOfFileNumbersError,
  type WorkerJob,
  type WorkerRequest,
  type WorkerResponse,
  type WorkerResult,
  serializeError,
} from './worker-protocol.js';

/** Table readers kept open at once (the cursors open one table per input level at a time). */
const MAX_OPEN_TABLES = 64;
/** Entries merged per step; the worker has no event loop to share, steps only bound the work. */
const STEP_ENTRIES = 4096;

function codecById(id: number): Codec {
  const codec = builtinCodecs.find((c) => c.id === id);
  if (codec === undefined) throw new VelocityError('INVALID_ARGUMENT', `no built-in codec with id ${id}`);
  return codec;
}

/** Runs one merge to completion; on failure its output files are removed and the error thrown. */
export function runWorkerJob(job: WorkerJob): WorkerResult {
  const fs = new NodeFileSystem();
  const icmp = new InternalKeyComparator(bytewiseComparator);
  const filterPolicy =
    job.bloomBitsPerKey === null
      ? undefined
      : internalFilterPolicy(new BloomFilterPolicy(job.bloomBitsPerKey));
  const tables = new TableCache(
    fs,
    job.dir,
    { comparator: icmp, filterPolicy, filterKey: stripTrailer },
    'worker:',
    MAX_OPEN_TABLES,
  );
  const builderOptions: TableBuilderOptions = {
    comparator: icmp,
    filterPolicy,
    filterKey: stripTrailer,
    blockSize: job.blockSize,
    blockRestartInterval: job.blockRestartInterval,
    compression: codecById(job.compression),
  };
  let used = 0;
  let merge: Merge | undefined;
  try {
    merge = new Merge({
      icmp,
      inputs: job.inputs.map((input) => ({
        level: input.level,
        files: input.files.map((f) => new TableFile(f)),
      })),
      tables,
      snapshots: job.snapshots,
      bottommost: job.bottommost,
      targetFileSize: job.targetFileSize,
      now: job.now,
      fs,
      dir: job.dir,
      builderOptions,
      nextNumber: () => {
        if (used >= job.outputNumbers.length) {
          throw new OutOfFileNumbersError(`the job needs more than ${job.outputNumbers.length} output files`);
        }
        return job.outputNumbers[used++];
      },
    });
    while (!merge.job.step(STEP_ENTRIES)) {
      // Runs to completion: the main thread terminates the thread to stop a job.
    }
    if (merge.sinks.length > 0) fs.syncDirectory(job.dir);
    const outputs = merge.outputFiles().map((f) => f.fields());
    return {
      outputs,
      bytesRead: merge.job.bytesRead,
      bytesWritten: merge.job.bytesWritten,
      entriesDropped: merge.job.entriesDropped,
    };
  } catch (error) {
    merge?.discard();
    throw error;
  } finally {
    merge?.close();
    tables.close();
  }
}

const port = parentPort;
if (port !== null) {
  port.on('message', (request: WorkerRequest) => {
    let response: WorkerResponse;
    try {
      response = { id: request.id, ok: true, result: runWorkerJob(request.job) };
    } catch (error) {
      response = { id: request.id, ok: false, error: serializeError(error) };
    }
    port.postMessage(response);
  });
}
