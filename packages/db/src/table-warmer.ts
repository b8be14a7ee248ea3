/**
 * Opening the tables of the current version ahead of the reads that need them, so that a database
 * that fits in its memory budget is resident before its first random reads rather than during them.
 * @module
 */
import { type BackgroundTurns, now } from './background-turns.js';
import type { TableCache, Warming } from './table-cache.js';
import type { Version } from './version.js';

/**
 * Makes resident, in slices of the background turns' budget, the tables of the current version that
 * are not resident yet and whose data fits in the memory budget (opening them if needed: one read of
 * the table, then verification and decoding block by block, a few milliseconds in all for a 2 MiB
 * table, spread over as many turns of the event loop as that takes). Reads never do this themselves. It runs only while `idle()` holds (no flush or
 * compaction in progress), since tables written during a burst of writes are mostly replaced again
 * soon, and is started again after every version change. Errors are left to the read that needs the
 * table: a table that fails to open here is simply skipped.
 */
export class TableWarmer {
  private running = false;
  /** Tables that failed to open here: not tried again by the warmer. */
  private readonly failed = new Set<number>();

  constructor(
    private readonly tables: TableCache,
    private readonly current: () => Version,
    private readonly idle: () => boolean,
    private readonly stopped: () => boolean,
    private readonly turns: BackgroundTurns,
  ) {}

  /** Starts warming unless it is running already. */
  kick(): void {
    if (this.running || this.stopped()) return;
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
    });
  }

  private async run(): Promise<void> {
    for (;;) {
      await this.turns.next();
      if (this.stopped() || !this.idle()) return;
      const file = this.tables.nextToWarm(this.current(), this.failed);
      if (file === undefined) return;
      let warming: Warming | undefined;
      try {
        warming = this.tables.startWarming(file);
      } catch {
        warming = undefined;
      }
      if (warming === undefined || !(await this.finish(warming))) this.failed.add(file.id);
      if (this.stopped() || !this.idle()) return;
    }
  }

  /**
   * Runs `warming`'s steps, one slice per turn; false when it failed. Cancelled (returning true, so the
   * table is tried again later) when the engine stops or stops being idle.
   */
  private async finish(warming: Warming): Promise<boolean> {
    try {
      for (;;) {
        const start = now();
        const budget = this.turns.budgetMs;
        if (warming.step(() => now() - start >= budget)) return true;
        await this.turns.next();
        if (this.stopped() || !this.idle()) {
          warming.cancel();
          return true;
        }
      }
    } catch {
      warming.cancel();
      return false;
    }
  }
}
