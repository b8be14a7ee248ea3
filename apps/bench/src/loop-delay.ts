/**
 * Event-loop delay while a benchmark runs: a timer due every millisecond, and how late it fires.
 *
 * Not `perf_hooks.monitorEventLoopDelay`: on Node 20.20 it reported a maximum of 1.1 ms for a loop
 * held for 100 ms by a chain of microtasks (`await` after `await` that never yields to the event loop,
 * which is how a loop of awaited calls on an engine that resolves at once behaves), while a 1 ms timer
 * did not fire once in that time. Timer lateness sees such a block whole.
 * @module
 */
import { LatencyRecorder } from './stats.js';
import { seededRandom } from './random.js';

/** Event-loop delay in milliseconds: how late a timer due every millisecond fired. */
export interface LoopDelay {
  p99: number;
  max: number;
}

/** The timer's period, milliseconds. */
const PERIOD_MS = 1;

/**
 * Starts sampling; `stop()` ends it and returns the delays, counting the lateness of the timer still
 * pending at that moment (so a block that lasts until the end is not missed).
 */
export function sampleLoopDelay(): { stop(): LoopDelay } {
  const recorder = new LatencyRecorder(100_000, seededRandom(3));
  let due = performance.now() + PERIOD_MS;
  const tick = () => {
    const now = performance.now();
    recorder.record(Math.max(0, now - due));
    due = now + PERIOD_MS;
    timer = setTimeout(tick, PERIOD_MS);
  };
  let timer = setTimeout(tick, PERIOD_MS);
  return {
    stop() {
      clearTimeout(timer);
      recorder.record(Math.max(0, performance.now() - due));
      const [p99] = recorder.percentiles([99]);
      return { p99, max: recorder.max };
    },
  };
}
