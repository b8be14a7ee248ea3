/**
 * The messages between the database worker ({@link OpfsMergeWorker}) and the merge worker
 * (`merge-worker.ts`): jobs as plain data, the pool's slot files they read and may write, and the
 * answers.
 * @module
 */
import type {
  WorkerErrorData,
  WorkerFlushJob,
  WorkerJob,
  WorkerOutputFile,
  WorkerResult,
} from '@velocity/db/compaction-worker';

/**
 * Free slots of the pool lent to one job: the merge worker may claim each for one output file, writing
 * its header with the generation given (reserved by the database worker, so that generations stay
 * unique in the pool).
 */
export interface LentSlot {
  /** The slot file's name in the pool directory. */
  name: string;
  /** The generation its header gets when claimed. */
  generation: number;
}

/** What the database worker lends with a job or a top-up. */
export interface Lending {
  slots: LentSlot[];
  /** Bytes the pool may still grow by (`OpfsOptions.quotaBytes`), or null for no limit. */
  room: number | null;
}

/** Database worker to merge worker. */
export type ToMergeWorker =
  | { type: 'init'; directory: string[] }
  | {
      type: 'merge';
      id: number;
      job: WorkerJob;
      /** The slot file of each input table, by path. */
      inputs: Record<string, string>;
      lending: Lending;
    }
  | { type: 'flush'; id: number; job: WorkerFlushJob; lending: Lending }
  | { type: 'lent'; id: number; lending: Lending };

/** Merge worker to database worker. */
export type FromMergeWorker =
  | { type: 'more'; id: number }
  | { type: 'merged'; id: number; result: WorkerResult }
  | { type: 'flushed'; id: number; file: WorkerOutputFile | null }
  | { type: 'failed'; id: number; error: WorkerErrorData; unavailable?: boolean };
