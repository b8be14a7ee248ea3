/**
 * When compactions run: one at a time, in the background after every flush and compaction while the
 * strategy asks for work, or on request (`compactRange`), which waits for the background one.
 * @module
 */
import type { CompactionTask } from '@velocity/compaction';
import { type CompactionHost, type CompactionOutcome, runCompaction } from './compaction-runner.js';
import type { EventHub } from './events.js';
import type { BackgroundTurns } from './schedule.js';
import { AbortedError, type TableWriteContext } from './table-writer.js';
import type { Version } from './version.js';

/** What the scheduler needs from the engine. */
export interface SchedulerHost extends CompactionHost {
  readonly events: EventHub;
  readonly turns: BackgroundTurns;
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
  private manual = 0;
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

  /** Resolves when no compaction, background or manual, is running. */
  async allIdle(): Promise<void> {
    for (;;) {
      await this.idle();
      if (this.manualRunning === undefined) return;
      await this.manualRunning.catch(() => {});
    }
  }

  private manualRunning: Promise<unknown> | undefined;

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
   * Waits for the background compaction, then runs the task `pick` returns (if any) and resolves
   * with it; rejects with the task's error. Background compactions wait meanwhile.
   */
  async runManual(pick: () => CompactionTask | undefined): Promise<CompactionTask | undefined> {
    this.manual++;
    try {
      await this.idle();
      const task = pick();
      if (task === undefined) return undefined;
      const running = this.run(task, true);
      this.manualRunning = running;
      const outcome = await running;
      this.host.afterCompaction(outcome, true);
      return task;
    } finally {
      this.manualRunning = undefined;
      this.manual--;
      if (this.manual === 0) this.maybeSchedule();
    }
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
