/**
 * For hosts of a compaction worker (`DBOptions.compactionWorker`): the `MergeWorker` interface the
 * engine drives, the jobs and results it exchanges as plain data, their errors, and
 * {@link runMergeJob} / {@link runFlushJob}, which run a job on any synchronous `FileSystem` inside
 * the worker. `@velocity/browser`'s merge worker is built on these.
 * @module
 */
export {
  type MergeWorker,
  type WorkerErrorData,
  type WorkerFlushJob,
  type WorkerInputFile,
  type WorkerJob,
  type WorkerOutputFile,
  type WorkerResult,
  type WorkerTableOptions,
  OutOfFileNumbersError,
  WorkerUnavailableError,
  deserializeError,
  serializeError,
} from './compaction/worker-protocol.js';
export { type MergeJobHooks, runFlushJob, runMergeJob } from './compaction/merge-job.js';
export { tableFileName } from './filenames.js';
