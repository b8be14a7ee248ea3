/**
 * The database worker's side of the merge worker: a `MergeWorker` (the interface the engine drives
 * Node's compaction thread through) that runs merges and memtable flush builds in a second browser
 * worker (`merge-worker.ts`), passed to `DB.open` as `compactionWorker`.
 *
 * Files: the pool and its slot headers stay owned by this worker's `OpfsFileSystem`. A job names the
 * slot file of each input table, and gets free slots lent out of the pool (each with a header
 * generation reserved for it) for its outputs; the merge worker claims one per output with a flushed
 * header, writes and flushes the table there, and only then answers. Lent slots come back when the
 * job answered: those whose header names a file become that file here (the engine then names them in
 * the manifest, or removes them), the rest return to the pool. A crash in the middle of a job leaves
 * claimed slots that no manifest names, deleted as obsolete at the next open, and unclaimed slots that
 * read as free.
 * @module
 */
import { VelocityError } from '@velocity/core';
import {
  type MergeWorker,
  type WorkerFlushJob,
  type WorkerJob,
  type WorkerOutputFile,
  type WorkerResult,
  WorkerUnavailableError,
  deserializeError,
  tableFileName,
} from '@velocity/db/compaction-worker';
import { startMergeWorker } from '../start-worker.js';
import type { FromMergeWorker, Lending, ToMergeWorker } from './merge-protocol.js';

/** What the host needs of the database worker's `OpfsFileSystem`. */
export interface SlotLender {
  /** The slot file holding `path`, or undefined when no other worker can open it. */
  slotName(path: string): string | undefined;
  /** Lends `count` free slots (see `OpfsFileSystem.lend`). */
  lend(count: number): Promise<Lending>;
  /** Takes lent slots back (see `OpfsFileSystem.takeBack`). */
  takeBack(names: readonly string[]): void;
}

/** The merge worker as the host sees it (a `Worker`, or a fake in tests). */
export interface MergeWorkerPort {
  postMessage(message: ToMergeWorker, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: { data: FromMergeWorker }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/**
 * Slots lent with a merge at first (fewer when it expects fewer outputs) and with each top-up (a merge
 * asks when fewer than two are left, and goes on meanwhile): a 2 MiB output takes tens of
 * milliseconds to write, a top-up one message each way.
 */
const LEND_AT_ONCE = 4;

interface Job {
  /** Names of the slots lent to it so far. */
  lent: string[];
  resolve(answer: FromMergeWorker): void;
  reject(error: unknown): void;
}

/** Runs jobs in a merge worker (see the module comment). One per open database. */
export class OpfsMergeWorker implements MergeWorker {
  private worker: MergeWorkerPort | undefined;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private closed = false;
  /** True once the worker answered a job (so it did start). */
  private answered = false;
  /** Set when the worker could not start or open handles: the engine merges on its thread from then on. */
  private unavailable: WorkerUnavailableError | undefined;
  /** Set when the worker failed after it had started: every later job fails with it. */
  private crashed: VelocityError | undefined;
  /** Jobs answered by the worker, by kind (tests and the benchmark read them). */
  readonly counts = { merges: 0, flushes: 0 };

  /** `directory`: the pool's directory below the OPFS root; `start` starts the worker. */
  constructor(
    private readonly fs: SlotLender,
    private readonly directory: string,
    private readonly start: () => MergeWorkerPort = () => startMergeWorker() as unknown as MergeWorkerPort,
  ) {}

  async run(job: WorkerJob): Promise<WorkerResult> {
    const inputs: Record<string, string> = {};
    let bytes = 0;
    for (const input of job.inputs) {
      for (const file of input.files) {
        const path = tableFileName(job.dir, file.id);
        const name = this.fs.slotName(path);
        if (name === undefined) this.markUnavailable('the pool has no shared handles');
        else inputs[path] = name;
        bytes += file.size;
      }
    }
    const count = Math.min(job.outputNumbers.length, Math.ceil(bytes / job.targetFileSize) + 1, LEND_AT_ONCE);
    const answer = await this.send(count, (id, lending) => ({ type: 'merge', id, job, inputs, lending }));
    if (answer.type !== 'merged')
      throw new VelocityError('IO_ERROR', `merge worker: unexpected ${answer.type}`);
    this.counts.merges++;
    return answer.result;
  }

  async flush(job: WorkerFlushJob): Promise<WorkerOutputFile | undefined> {
    const transfer = [job.data.buffer as ArrayBuffer, job.bounds.buffer as ArrayBuffer];
    const answer = await this.send(1, (id, lending) => ({ type: 'flush', id, job, lending }), transfer);
    if (answer.type !== 'flushed')
      throw new VelocityError('IO_ERROR', `merge worker: unexpected ${answer.type}`);
    this.counts.flushes++;
    return answer.file ?? undefined;
  }

  private markUnavailable(reason: string): never {
    this.unavailable ??= new WorkerUnavailableError(`the merge worker is not available: ${reason}`);
    throw this.unavailable;
  }

  private check(): void {
    if (this.closed) throw new VelocityError('CLOSED', 'the merge worker is closed');
    if (this.unavailable !== undefined) throw this.unavailable;
    if (this.crashed !== undefined) throw this.crashed;
  }

  /** Lends `count` slots, posts the job `message` builds, resolves with the worker's answer. */
  private async send(
    count: number,
    message: (id: number, lending: Lending) => ToMergeWorker,
    transfer: Transferable[] = [],
  ): Promise<FromMergeWorker> {
    this.check();
    const worker = this.worker ?? this.started();
    const lending = await this.fs.lend(count);
    const id = this.nextId++;
    const lent = lending.slots.map((s) => s.name);
    try {
      this.check(); // closed or failed while the slots were being found
    } catch (error) {
      this.fs.takeBack(lent);
      throw error;
    }
    const answer = await new Promise<FromMergeWorker>((resolve, reject) => {
      this.jobs.set(id, { lent, resolve, reject });
      worker.postMessage(message(id, lending), transfer);
    });
    if (answer.type === 'failed') {
      if (answer.unavailable === true) this.markUnavailable(answer.error.message);
      throw deserializeError(answer.error);
    }
    return answer;
  }

  private started(): MergeWorkerPort {
    let worker: MergeWorkerPort;
    try {
      worker = this.start();
    } catch (error) {
      this.markUnavailable(String(error));
    }
    worker.onmessage = ({ data }) => this.received(data);
    worker.onerror = (event) => this.failed(event);
    worker.postMessage({ type: 'init', directory: this.directory.split('/').filter((p) => p !== '') });
    this.worker = worker;
    return worker;
  }

  private received(data: FromMergeWorker): void {
    const job = this.jobs.get(data.id);
    if (job === undefined) return;
    if (data.type === 'more') {
      this.fs.lend(LEND_AT_ONCE).then(
        (lending) => {
          job.lent.push(...lending.slots.map((s) => s.name));
          this.worker?.postMessage({ type: 'lent', id: data.id, lending });
        },
        // The merge goes on with what it has, and falls back to the engine's thread when it runs out.
        () => this.worker?.postMessage({ type: 'lent', id: data.id, lending: { slots: [], room: 0 } }),
      );
      return;
    }
    this.answered = true;
    this.jobs.delete(data.id);
    try {
      this.fs.takeBack(job.lent);
    } catch (error) {
      job.reject(error);
      return;
    }
    job.resolve(data);
  }

  /**
   * The worker failed (it could not load, or threw outside a job): it is stopped, and every waiting
   * job rejects. Their lent slots are not taken back (the worker may have been mid-write); they are
   * reused after the next open.
   */
  private failed(event: unknown): void {
    const message = (event as { message?: string } | null)?.message ?? 'failed';
    this.worker?.terminate();
    this.worker = undefined;
    let error: VelocityError;
    if (!this.answered) {
      this.unavailable ??= new WorkerUnavailableError(`the merge worker could not start: ${message}`);
      error = this.unavailable;
    } else {
      this.crashed = new VelocityError('IO_ERROR', `the merge worker failed: ${message}`);
      error = this.crashed;
    }
    this.rejectAll(error);
  }

  private rejectAll(error: unknown): void {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) job.reject(error);
  }

  /** Stops the worker; running jobs reject with `CLOSED` (their outputs are obsolete files after a reopen). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker?.terminate();
    this.worker = undefined;
    this.rejectAll(new VelocityError('CLOSED', 'compaction stopped: the database is closing'));
  }
}
