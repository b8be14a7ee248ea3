/**
 * The compaction worker: a Node worker thread that runs the merges of compactions, so that they use a
 * second core (LevelDB's background thread) instead of slices of the event loop. Started by
 * `compaction-thread.ts`; never loaded in a browser.
 *
 * A job ({@link WorkerJob}) is plain data. The worker opens the input tables itself (a
 * `NodeFileSystem`, its own `TableCache`, no block cache), runs the same `Merge` as the main thread
 * (`runMergeJob` in merge-job.ts: the same `CompactionJob`, `LevelIterator`s and `CompactionSink`s,
 * so the same table format), and posts back the outputs' descriptions. It touches nothing else: the manifest, the
 * versions and file deletion stay on the main thread.
 *
 * Memtable flushes come on a second port ({@link WorkerFlushRequest}): the frozen memtable's entries,
 * copied out by the main thread into two transferred arrays, written as one level-0 table with the
 * same builder. A flush that arrives while a merge runs is answered between two steps of the merge,
 * so flushes (which writes wait for) never queue behind a long compaction.
 *
 * Durability: every output is fsynced and closed by its sink, and the directory is fsynced, before the
 * worker reports success; only then does the main thread write the manifest edit that names the
 * outputs. A crash (of the process, or of this thread) in the middle of a job therefore leaves only
 * table files that no manifest names, and the next open deletes them as obsolete. The output numbers
 * were allocated on the main thread and are protected from obsolete-file deletion while the job runs;
 * the worker never makes up a number, and fails the job when it needs more than it was given.
 * @module
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { NodeFileSystem } from '@velocity/core/node';
import { runFlushJob as runFlushJobOn, runMergeJob } from './merge-job.js';
import { lowerThreadPriority } from './thread-priority.js';
import type { WorkerStartData } from './worker-host.js';
import {
  type WorkerFlushJob,
  type WorkerFlushRequest,
  type WorkerFlushResponse,
  type WorkerJob,
  type WorkerOutputFile,
  type WorkerRequest,
  type WorkerResponse,
  type WorkerResult,
  serializeError,
} from './worker-protocol.js';

/** Entries merged per step (a few milliseconds): how long a flush that arrives mid-merge waits at most. */
const STEP_ENTRIES = 4096;

/**
 * Writes a flush's table (built at once; fsynced and closed off the thread, then the directory
 * fsynced); null when the payload is empty. On failure the partial file is removed and the promise
 * rejects.
 */
export async function runFlushJob(job: WorkerFlushJob): Promise<WorkerOutputFile | null> {
  const fs = new NodeFileSystem();
  const table = await runFlushJobOn(fs, job);
  if (table !== null) fs.syncDirectory(job.dir);
  return table;
}

/** Resolves once the thread's event loop turned (finished fsyncs and flushes answer there). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs one merge to completion (`runMergeJob` on a `NodeFileSystem`); on failure its output files
 * are removed and the promise rejects. `betweenSteps` runs after each step (the worker answers
 * waiting flushes there), and the event loop turns between steps, so that flushes whose fsync
 * finished are answered. The result is reported once every output and the directory are durable.
 */
export async function runWorkerJob(
  job: WorkerJob,
  betweenSteps: () => void = () => {},
): Promise<WorkerResult> {
  const fs = new NodeFileSystem();
  const result = await runMergeJob(fs, job, {
    stepEntries: STEP_ENTRIES,
    betweenSteps: () => {
      betweenSteps();
      return turn();
    },
  });
  if (result.outputs.length > 0) fs.syncDirectory(job.dir);
  return result;
}

const startData = workerData as WorkerStartData | null;
if (startData?.lowPriority === true) lowerThreadPriority();

/** The port flushes arrive on (see `worker-host.ts`); absent when this module is not a worker. */
const flushPort = startData?.flushPort;

function answerFlush(request: WorkerFlushRequest): void {
  runFlushJob(request.flush).then(
    (file) => flushPort?.postMessage({ id: request.id, ok: true, file } satisfies WorkerFlushResponse),
    (error: unknown) =>
      flushPort?.postMessage({
        id: request.id,
        ok: false,
        error: serializeError(error),
      } satisfies WorkerFlushResponse),
  );
}

/** Answers the flushes that arrived while a merge ran: a flush never waits for a whole merge. */
function answerWaitingFlushes(): void {
  if (flushPort === undefined) return;
  for (;;) {
    const received = receiveMessageOnPort(flushPort);
    if (received === undefined) return;
    answerFlush(received.message as WorkerFlushRequest);
  }
}

flushPort?.on('message', answerFlush);

const port = parentPort;
if (port !== null) {
  port.on('message', (request: WorkerRequest) => {
    runWorkerJob(request.job, answerWaitingFlushes).then(
      (result) => port.postMessage({ id: request.id, ok: true, result } satisfies WorkerResponse),
      (error: unknown) =>
        port.postMessage({
          id: request.id,
          ok: false,
          error: serializeError(error),
        } satisfies WorkerResponse),
    );
  });
}
