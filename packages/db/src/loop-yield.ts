/**
 * Letting the host's event loop turn during long runs of awaited calls. The engine answers most calls
 * synchronously and settles their promises at once, so `for (…) await db.get(k)` runs as one chain of
 * microtasks: timers, I/O callbacks and other requests of the host program wait until the loop ends.
 * {@link LoopYield} watches when the event loop last turned (a `setImmediate` marker) and, once it has
 * not turned for `budgetMs`, has the next promise settle through a macrotask, which lets the loop turn
 * once (timers, I/O, the marker) before the caller goes on. Calls that are not part of such a run pay
 * one clock read every few calls; a call that did much work at once (a batch or a `getMany` of many
 * keys) counts as that many calls, so a loop of awaited batches is checked after every batch.
 *
 * Measured with a 1 ms interval timer beside 100k awaited puts and gets (see the bench README): the
 * timer's lateness is bounded by about the budget, at a throughput cost of a few percent.
 * @module
 */
import { now } from './background-turns.js';

type Immediate = (callback: () => void) => unknown;
const immediate: Immediate =
  (globalThis as { setImmediate?: Immediate }).setImmediate ?? ((callback) => setTimeout(callback, 0));

/** Watches the event loop and says when an awaited call should settle through a macrotask. */
export class LoopYield {
  private lastTurn = now();
  private markerPending = false;
  private calls = 0;
  private readonly marker = (): void => {
    this.markerPending = false;
    this.lastTurn = now();
  };

  /** @param budgetMs how long a run of awaited calls may keep the event loop from turning. */
  constructor(private readonly budgetMs: number) {}

  /**
   * True when the event loop has not turned for the budget (checked once per 8 units of work; a
   * call's `work` is 1 for a single key, the number of operations or keys for a batch).
   */
  due(work = 1): boolean {
    if (!this.markerPending) {
      // The previous marker ran, so the loop was free until now: a run of calls starts here.
      this.markerPending = true;
      this.lastTurn = now();
      immediate(this.marker);
      return false;
    }
    this.calls += work;
    if (this.calls < 8) return false;
    this.calls = 0;
    return now() - this.lastTurn >= this.budgetMs;
  }

  /** A promise of `value`, settled now or, when {@link LoopYield.due} for `work`, after the event loop turned. */
  settle<T>(value: T, work = 1): Promise<T> {
    if (!this.due(work)) return Promise.resolve(value);
    return new Promise((resolve) => immediate(() => resolve(value)));
  }

  /** Runs `answer` now, or after the event loop turned when {@link LoopYield.due} for `work`. */
  answer(answer: () => void, work = 1): void {
    if (this.due(work)) immediate(answer);
    else answer();
  }
}
