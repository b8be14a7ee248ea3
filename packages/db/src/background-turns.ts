/**
 * Yielding to the event loop between slices of background work, in Node and in browsers.
 * @module
 */

type Immediate = (callback: () => void) => unknown;
const immediate: Immediate | undefined = (globalThis as { setImmediate?: Immediate }).setImmediate;

/** Resolves after pending I/O callbacks and timers had a turn (setImmediate, or setTimeout 0). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (immediate !== undefined) immediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Milliseconds from an arbitrary origin, with sub-millisecond resolution where available. */
export const now: () => number =
  typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

/** What work done in slices between turns of the event loop needs from its caller. */
export interface SliceContext {
  /** Milliseconds the current turn of background work may use. */
  sliceBudget(): number;
  /** Resolves at the next turn of background work. */
  nextTurn(): Promise<void>;
  /** True when the work should stop (the database is closing or failed). */
  aborted(): boolean;
}

/**
 * Measures the time used by one slice of background work: `expired()` turns true once the budget
 * passed since the last `reset()` (checked every few calls, clocks are not free).
 */
export class SliceTimer {
  private start = now();
  private calls = 0;

  constructor(private budgetMs: number) {}

  /** Starts a new slice, optionally with a new budget. */
  reset(budgetMs: number = this.budgetMs): void {
    this.budgetMs = budgetMs;
    this.start = now();
    this.calls = 0;
  }

  /** True when the slice used up its budget. */
  expired(): boolean {
    if ((++this.calls & 63) !== 0) return false;
    return now() - this.start >= this.budgetMs;
  }
}

/**
 * Turns for background work between its slices. A turn is normally given by the event loop
 * (`setImmediate`), and then a slice may last `sliceMs`. But a caller that writes in a tight
 * `await db.put(...)` loop keeps the microtask queue busy and the event loop never turns, so background
 * work would only run while writes stall (long pauses). The write path therefore calls
 * {@link BackgroundTurns.donate} after each group commit: once waiting work has had no turn for twice
 * the donated slice, it gets one right away, as a microtask, of at most `donatedMs` (short, so that
 * no single write waits long), which interleaves flushes and compactions with the writes (about a
 * third of the time goes to them while writes saturate the thread).
 */
export class BackgroundTurns {
  private waiting: (() => void)[] = [];
  private scheduled = false;
  private lastTurn = now();
  private budget: number;

  constructor(
    private readonly sliceMs: number,
    private readonly donatedMs: number = Math.min(1, sliceMs),
  ) {
    this.budget = sliceMs;
  }

  /** Milliseconds the current turn may use. */
  get budgetMs(): number {
    return this.budget;
  }

  /** Resolves at the next turn. Background work awaits this between slices. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        if (immediate !== undefined) immediate(this.fromEventLoop);
        else setTimeout(this.fromEventLoop, 0);
      }
    });
  }

  private readonly fromEventLoop = (): void => {
    this.scheduled = false;
    this.wake(this.sliceMs);
  };

  private wake(budget: number): void {
    const waiting = this.waiting;
    if (waiting.length === 0) return;
    this.waiting = [];
    this.budget = budget;
    this.lastTurn = now();
    for (const resolve of waiting) resolve();
  }

  /** Gives waiting background work a short turn now if it has waited long enough. */
  donate(): void {
    if (this.waiting.length === 0 || now() - this.lastTurn < 2 * this.donatedMs) return;
    this.wake(this.donatedMs);
  }
}
