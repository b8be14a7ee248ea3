/**
 * When compactions run: one at a time, in the background after every flush and compaction while the
 * strategy asks for work, or on request (`compactRange`). Manual requests queue behind each other in
 * the order they were made (two overlapping `compactRange` calls must never merge the same files at
 * once) and each waits for the background compaction running when its turn comes; background work
 * waits while any manual request is queued or running.
 * @module
 */
import type { CompactionStrategy, CompactionTask } from '@velocity/compaction';
import type { Comparator, VelocityError } from '@velocity/core';
import { type CompactionHost, type CompactionOutcome, runCompaction } from './runner.js';
import type { EventHub } from '../events.js';
import { pickBottomRewrite, pickRangeTask } from './range-tasks.js';
import type { BackgroundTurns } from '../background-turns.js';
import { AbortedError } from '../aborted-error.js';
import type { TableWriteContext } from '../table-writer.js';
import type { Version } from '../version.js';

/** Output file size of range tasks when the strategy names none (as LevelDB's 2 MiB). */
const DEFAULT_TARGET_FILE_SIZE = 2 * 1024 * 1024;

/** What the scheduler needs from the engine. */
export interface SchedulerHost extends CompactionHost {
  readonly events: EventHub;
  readonly turns: BackgroundTurns;
  readonly ucmp: Comparator;
  /** The strategy that picks background and range tasks. */
  readonly strategy: CompactionStrategy;
  /** `CLOSED` or `READ_ONLY` when no manual task may start, else undefined. */
  writeError(): VelocityError | undefined;
  /** True when no new work may start (closing or failed). */
  stopped(): boolean;
  /** Picks the next background task for `version` (files in `busy` excluded). */
  pick(version: Version, busy: ReadonlySet<number>): CompactionTask | undefined;
  /** Records a failure (read-only mode). */
  fail(error: unknown): void;
  /** Called after each task, finished or not. */
  afterCompaction(outcome: CompactionOutcome | undefined, manual: boolean): void;
}

/** Runs compaction tasks, one at a time. */
export class CompactionScheduler {
  private running: Promise<void> | undefined;
  /** Manual requests queued or running. */
  private manual = 0;
  /** The tail of the queue of manual requests (settles when the last queued one ended). */
  private manualQueue: Promise<unknown> = Promise.resolve();
  /** Input files of the running task. */
  readonly busy = new Set<number>();

  constructor(
    private readonly host: SchedulerHost,
    private readonly ctx: TableWriteContext,
  ) {}

  /** True while a background compaction runs. */
  get active(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when the background compaction running now (if any) ended. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /** Resolves when no compaction, background or manual, is running or queued. */
  async allIdle(): Promise<void> {
    for (;;) {
      await this.idle();
      if (this.manual === 0) return;
      await this.manualQueue;
    }
  }

  /** Starts a background compaction when the strategy wants one and none is running. */
  maybeSchedule(): void {
    const host = this.host;
    if (this.running !== undefined || this.manual > 0 || host.stopped()) return;
    let task: CompactionTask | undefined;
    try {
      task = host.pick(host.versions.current, this.busy);
    } catch (error) {
      host.fail(error);
      return;
    }
    if (task === undefined) return;
    const done = (outcome: CompactionOutcome | undefined): void => {
      this.running = undefined;
      host.afterCompaction(outcome, false);
    };
    this.running = this.run(task, false).then(done, () => done(undefined));
  }

  /**
   * Queues `job` behind every manual request made before it; when its turn comes the background
   * compaction (if any) has ended and none starts until the job is done. `job` runs tasks with
   * {@link CompactionScheduler.runTask}. Resolves or rejects with the job.
   */
  runManual<T>(job: () => Promise<T>): Promise<T> {
    this.manual++;
    const turn = this.manualQueue.then(async () => {
      await this.idle();
      return job();
    });
    const settled = turn.then(
      () => this.endManual(),
      () => this.endManual(),
    );
    this.manualQueue = settled;
    return turn;
  }

  /**
   * Compacts every table overlapping `[start, end]` (both inclusive, undefined = open) down to the
   * deepest level, round after round of the strategy's range task, then rewrites the deepest level's
   * files in the range that still hold tombstones. Queued like every manual request.
   */
  compactRange(start: Uint8Array | undefined, end: Uint8Array | undefined): Promise<void> {
    return this.runManual(async () => {
      const host = this.host;
      const strategy = host.strategy;
      const targetFileSize = strategy.targetFileSize ?? DEFAULT_TARGET_FILE_SIZE;
      const view = () => host.versions.current.view(host.ucmp, this.busy);
      const unlessStopped = (pick: () => CompactionTask | undefined) => () => {
        const error = host.writeError();
        if (error !== undefined) throw error;
        return pick();
      };
      for (let round = 0; round < strategy.numLevels + 2; round++) {
        const task = await this.runTask(
          unlessStopped(() => pickRangeTask(strategy, view(), start, end, targetFileSize)),
        );
        if (task === undefined) break;
        if (task.inputs.every((input) => input.level === task.outputLevel)) break;
      }
      await this.runTask(unlessStopped(() => pickBottomRewrite(view(), start, end, targetFileSize)));
    });
  }

  private endManual(): void {
    this.manual--;
    if (this.manual === 0) this.maybeSchedule();
  }

  /**
   * Runs the task `pick` returns (if any) as part of a manual job and resolves with it; rejects with
   * the task's error. REQUIRES: called from a job given to {@link CompactionScheduler.runManual}.
   */
  async runTask(pick: () => CompactionTask | undefined): Promise<CompactionTask | undefined> {
    const task = pick();
    if (task === undefined) return undefined;
    const outcome = await this.run(task, true);
    this.host.afterCompaction(outcome, true);
    return task;
  }

  private async run(task: CompactionTask, manual: boolean): Promise<CompactionOutcome | undefined> {
    const host = this.host;
    for (const input of task.inputs) for (const f of input.files) this.busy.add(f.id);
    try {
      if (!manual) {
        await host.turns.next(); // start in a turn of its own, not inside the flush that asked
        if (this.ctx.aborted()) throw new AbortedError();
      }
      const outcome = await runCompaction(host, task, this.ctx);
      if (host.events.has('compaction')) {
        host.events.emit(
          'compaction',
          manual ? { ...outcome.event, reason: `manual: ${task.reason}` } : outcome.event,
        );
      }
      return outcome;
    } catch (error) {
      if (!(error instanceof AbortedError)) host.fail(error);
      if (manual) throw error;
      return undefined;
    } finally {
      for (const input of task.inputs) for (const f of input.files) this.busy.delete(f.id);
    }
  }
}
