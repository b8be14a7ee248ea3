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

/**
 * Measures the time used by one slice of background work: `expired()` turns true once `budgetMs`
 * passed since the last `reset()` (checked every few calls, clocks are not free).
 */
export class SliceTimer {
  private start = now();
  private calls = 0;

  constructor(private readonly budgetMs: number) {}

  /** Starts a new slice. */
  reset(): void {
    this.start = now();
    this.calls = 0;
  }

  /** True when the slice used up its budget. */
  expired(): boolean {
    if ((++this.calls & 63) !== 0) return false;
    return now() - this.start >= this.budgetMs;
  }
}
