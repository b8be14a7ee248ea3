/**
 * The main thread's side of the compaction worker (Node only; loaded by `loadMergeWorker` through a
 * non-literal dynamic import, so browser bundles never see `node:worker_threads`): which
 * configurations may use it, and the one worker thread of an open database.
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { VelocityError } from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import {
  type MergeWorker,
  type WorkerEligibilityOptions,
  type WorkerFlushJob,
  type WorkerFlushRequest,
  type WorkerFlushResponse,
  type WorkerOutputFile,
  type WorkerJob,
  type WorkerRequest,
  type WorkerResponse,
  type WorkerResult,
  WorkerUnavailableError,
  configurationIneligibility,
  deserializeError,
} from './worker-protocol.js';
import { lowerThreadsStartedSince, threadIds } from './thread-priority.js';

/**
 * Why merges cannot run in the worker with these options, or undefined when they can: the worker
 * opens files with its own `NodeFileSystem` and can only rebuild the built-in comparator, filter and
 * codecs.
 * @public Loaded through a dynamic import in `worker-protocol.ts`, which knip cannot follow.
 */
export function workerIneligibility(options: WorkerEligibilityOptions): string | undefined {
  if (Object.getPrototypeOf(options.fs) !== NodeFileSystem.prototype) {
    return 'the file system is not a NodeFileSystem';
  }
  const reason = configurationIneligibility(options);
  if (reason !== undefined) return reason;
  if (!existsSync(fileURLToPath(workerUrl()))) {
    return `the worker script ${fileURLToPath(workerUrl())} is missing (build @velocity/db)`;
  }
  return undefined;
}

/**
 * The worker script. Built, it sits next to this module; under a test runner that executes the
 * TypeScript sources, the built copy in `dist/` is used.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/compaction/worker-entry.js', here)
    : new URL('./worker-entry.js', here);
}

interface Pending<T> {
  id: number;
  resolve(result: T): void;
  reject(error: unknown): void;
}

/**
 * How long the thread may sit idle before it is stopped (and started again by the next job). A worker
 * thread is a second V8 isolate, 25 to 35 MB of RSS; a database that is only read keeps none, and a
 * restart costs tens of milliseconds, off the main thread, once per burst of compactions.
 *
 * Short on purpose: once writes pause, the table warmer makes the tables resident right after the last
 * compaction, and while the idle thread still lives the two add up. Measured on a 1M-entry batch load
 * followed by warming (peak RSS of the process): 290 MB with 5 s and with 1 s, 266 MB with 250 ms,
 * 267 MB with 50 ms. During a fill, compactions follow one another with gaps shorter than this, so the
 * thread is not restarted between them.
 */
const IDLE_STOP_MS = 250;

/**
 * One worker thread, started at the first job, running one job at a time, stopped after
 * {@link IDLE_STOP_MS} without one. The thread itself is always
 * `unref()`ed, so an idle database never keeps a process alive. While a job runs, and while the
 * thread is being terminated, a referenced timer keeps the event loop alive instead (like the
 * main-thread slices it replaces, a running compaction finishes before the process exits, and
 * `await db.close()` returns). `worker.ref()` is not used for this: on Node 20 a worker that was
 * unref'd and ref'd again did not keep the loop alive while terminating, and a process whose last
 * pending work was `await db.close()` ended with exit code 0 before close() returned.
 */
class WorkerThread implements MergeWorker {
  private worker: Worker | undefined;
  private pending: Pending<WorkerResult> | undefined;
  /** Flushes sent to the thread and not answered yet, by id. */
  private readonly flushes = new Map<number, Pending<WorkerOutputFile | undefined>>();
  /** The main thread's end of the current thread's flush port. */
  private flushPort: MessagePort | undefined;
  private nextId = 1;
  private closed = false;
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  /** True once the current thread answered a job (so it did start). */
  private answered = false;
  /** Set when the thread could not start and merges fall back to the main thread. */
  private unavailable: WorkerUnavailableError | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Threads started so far (tests observe the idle stop through it). */
  starts = 0;

  /**
   * `fallBackWhenUnavailable`: reject with {@link WorkerUnavailableError} if the thread cannot start.
   * `url`: the worker script (tests start a failing one).
   */
  constructor(
    private readonly fallBackWhenUnavailable: boolean,
    private readonly url: URL,
    private readonly idleStopMs: number,
    private readonly lowPriority: boolean,
  ) {}

  private holdEventLoop(hold: boolean): void {
    if (hold && this.keepAlive === undefined) {
      this.keepAlive = setInterval(() => {}, 60_000);
    } else if (!hold && this.keepAlive !== undefined) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }

  run(job: WorkerJob): Promise<WorkerResult> {
    if (this.pending !== undefined && !this.closed && this.unavailable === undefined) {
      return Promise.reject(new VelocityError('INVALID_ARGUMENT', 'the compaction worker is busy'));
    }
    return this.send((id, worker) => {
      return new Promise<WorkerResult>((resolve, reject) => {
        this.pending = { id, resolve, reject };
        worker.postMessage({ id, job } satisfies WorkerRequest);
      });
    });
  }

  flush(job: WorkerFlushJob): Promise<WorkerOutputFile | undefined> {
    return this.send((id) => {
      const port = this.flushPort as MessagePort;
      return new Promise<WorkerOutputFile | undefined>((resolve, reject) => {
        this.flushes.set(id, { id, resolve, reject });
        port.postMessage({ id, flush: job } satisfies WorkerFlushRequest, [
          job.data.buffer as ArrayBuffer,
          job.bounds.buffer as ArrayBuffer,
        ]);
      });
    });
  }

  /** Starts the thread if needed and has `post` send a request with a new id. */
  private send<T>(post: (id: number, worker: Worker) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new VelocityError('CLOSED', 'the compaction worker is closed'));
    if (this.unavailable !== undefined) return Promise.reject(this.unavailable);
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (error) {
      return Promise.reject(
        new VelocityError('IO_ERROR', `cannot start the compaction worker: ${String(error)}`, {
          cause: error,
        }),
      );
    }
    this.cancelIdleStop();
    this.holdEventLoop(true);
    return post(this.nextId++, worker);
  }

  /** True while a merge or a flush waits for the thread. */
  private get busy(): boolean {
    return this.pending !== undefined || this.flushes.size > 0;
  }

  private start(): Worker {
    // A young generation of 16 MiB. The merge makes garbage fast (a buffer per input block read, keys
    // and values per entry): with 4 MiB, 27% of the thread's profile was the garbage collector in a
    // 3M-entry batch load, and CPU to the end of compaction was 26.3/22.0 s against 23.7/19.3 s with
    // 16 MiB (32 MiB: 22.5/19.5). V8's default (up to 32-64 MiB) cost peak RSS: 220 MB against
    // 197 MB with 4 MiB in a 1M load; 16 MiB sits between, and the thread stops when idle.
    // No inherited `process.execArgv`: the worker runs plain built JavaScript, and flags of the parent
    // such as `--input-type=module -e` or a TypeScript loader make a worker fail to start.
    const channel = new MessageChannel();
    // Lowered right away, not only once its script runs: see thread-priority.ts.
    const threadsBefore = this.lowPriority ? threadIds() : undefined;
    const worker = new Worker(this.url, {
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
      workerData: { flushPort: channel.port2, lowPriority: this.lowPriority } satisfies WorkerStartData,
      transferList: [channel.port2],
    });
    if (threadsBefore !== undefined) lowerThreadsStartedSince(threadsBefore);
    worker.unref();
    const flushPort = channel.port1;
    flushPort.on('message', (response: WorkerFlushResponse) => {
      const pending = this.flushes.get(response.id);
      if (pending === undefined) return;
      this.flushes.delete(response.id);
      this.answered = true;
      this.settle();
      if (response.ok) pending.resolve(response.file ?? undefined);
      else pending.reject(deserializeError(response.error));
    });
    // Like the thread: never what keeps a process alive (a pending flush holds the loop instead).
    flushPort.unref();
    this.flushPort = flushPort;
    this.starts++;
    // A thread started again after an idle stop that then cannot start is "unavailable" again.
    this.answered = false;
    worker.on('message', (response: WorkerResponse) => {
      const pending = this.pending;
      if (pending === undefined || pending.id !== response.id) return;
      this.answered = true;
      this.pending = undefined;
      this.settle();
      if (response.ok) pending.resolve(response.result);
      else pending.reject(deserializeError(response.error));
    });
    worker.on('error', (error) => this.crashed(worker, `crashed: ${error.message}`, error));
    worker.on('exit', (code) => this.crashed(worker, `exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  /** A merge or flush ended: the thread may be idle now. */
  private settle(): void {
    if (this.busy) return;
    this.holdEventLoop(false);
    this.cancelIdleStop();
    const timer = setTimeout(() => this.stopIdle(), this.idleStopMs);
    // Never keeps a process alive: an idle thread has nothing to finish.
    (timer as { unref?: () => void }).unref?.();
    this.idleTimer = timer;
  }

  private cancelIdleStop(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Stops an idle thread; the next job starts a new one. */
  private stopIdle(): void {
    this.idleTimer = undefined;
    const worker = this.worker;
    if (worker === undefined || this.busy || this.closed) return;
    // Forgotten first, so its 'exit' is not taken for a crash.
    this.worker = undefined;
    this.closeFlushPort();
    void worker.terminate().catch(() => {});
  }

  private closeFlushPort(): void {
    this.flushPort?.close();
    this.flushPort = undefined;
  }

  private crashed(worker: Worker, what: string, cause?: unknown): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.closeFlushPort();
    const waiting: Pending<never>[] = [...this.flushes.values()];
    if (this.pending !== undefined) waiting.push(this.pending);
    this.pending = undefined;
    this.flushes.clear();
    this.holdEventLoop(false);
    if (waiting.length === 0) return;
    let error: VelocityError;
    if (this.closed) {
      error = new VelocityError('CLOSED', 'compaction stopped: the database is closing');
    } else if (!this.answered && this.fallBackWhenUnavailable) {
      this.unavailable = new WorkerUnavailableError(`the compaction worker could not start: ${what}`, cause);
      error = this.unavailable;
    } else {
      error = new VelocityError('IO_ERROR', `the compaction worker ${what}`, { cause });
    }
    for (const pending of waiting) pending.reject(error);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelIdleStop();
    const worker = this.worker;
    if (worker === undefined) return;
    // 'exit' rejects a running job with CLOSED, after the thread stopped (so its files can go).
    this.holdEventLoop(true);
    try {
      await worker.terminate();
    } finally {
      this.crashed(worker, 'was terminated');
      this.holdEventLoop(false);
    }
  }
}

/** What the worker thread is started with (its `workerData`). */
export interface WorkerStartData {
  /** The port flushes arrive on. */
  flushPort: MessagePort;
  /** Lower the thread's CPU priority first (see `DBOptions.compactionThreadPriority`). */
  lowPriority: boolean;
}

/** How {@link createMergeWorker} starts its thread. */
export interface MergeWorkerOptions {
  /** Lower the thread's CPU priority (see `DBOptions.compactionThreadPriority`). Default true. */
  lowPriority?: boolean;
  /** The worker script (tests start a failing one). */
  url?: URL;
  /** Idle time after which the thread stops (tests shorten it). */
  idleStopMs?: number;
}

/**
 * The worker of one open database. `fallBackWhenUnavailable` (true for `compactionThread: 'auto'`):
 * a thread that cannot start makes merges fall back to the main thread instead of failing the
 * database.
 */
export function createMergeWorker(
  fallBackWhenUnavailable: boolean,
  options: MergeWorkerOptions = {},
): MergeWorker {
  const { lowPriority = true, url = workerUrl(), idleStopMs = IDLE_STOP_MS } = options;
  return new WorkerThread(fallBackWhenUnavailable, url, idleStopMs, lowPriority);
}
