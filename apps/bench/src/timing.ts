/**
 * The measuring loop every benchmark uses: calls a step (one operation, or a batch in fast mode) until
 * the work is done or the time budget is spent, timing each call with `process.hrtime.bigint()`.
 * @module
 */
import type { EngineHandle } from './engines/index.js';
import type { KeyShape } from './keys.js';
import { seededRandom } from './random.js';
import { LatencyRecorder } from './stats.js';

/** typical = one awaited operation at a time; fast = the engine's quickest public API. */
export type Mode = 'typical' | 'fast';

/** What a benchmark run needs. */
export interface RunContext {
  handle: EngineHandle;
  mode: Mode;
  /** Entries in the preset (after `--scale`): the key space and the default operation count. */
  entries: number;
  keySize: number;
  valueSize: number;
  /** The run's keys: key `i` of the loaded range and absent keys inside it. */
  keys: KeyShape;
  /** Time budget of one read or mixed benchmark in milliseconds (fills are not time-boxed). */
  budgetMs: number;
  /** Key and value bytes written by this process, for write amplification. */
  userBytes: { value: number };
}

/** The outcome of one benchmark. Latencies are in microseconds per operation. */
export interface WorkloadResult {
  /** Operations done (entries for scans, keys for batched reads). */
  ops: number;
  /** Wall time of those operations. */
  seconds: number;
  opsPerSecond: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** Reads that found a value (read benchmarks only): a check that the engine really did the work. */
  found?: number;
  /** Benchmark-specific numbers (e.g. `writes` of readwhilewriting, `compactionSeconds`). */
  extra?: Record<string, number>;
  /** Event-loop delay while the benchmark ran, ms: how late a 1 ms timer fired, p99 and worst (loop-delay.ts). */
  loopDelay?: { p99: number; max: number };
}

/** One timed call: handles items `start .. start + n - 1`; returns a promise only if it must be awaited. */
export type Step = (start: number, n: number) => Promise<unknown> | undefined;

/** Turns a recorder and a count into a result. */
export function summarize(recorder: LatencyRecorder, ops: number, seconds: number): WorkloadResult {
  const [p50, p99, p999] = recorder.percentiles([50, 99, 99.9]);
  return { ops, seconds, opsPerSecond: seconds > 0 ? ops / seconds : 0, p50, p99, p999, max: recorder.max };
}

/** A latency recorder seeded for reproducible sampling. */
export function newRecorder(): LatencyRecorder {
  return new LatencyRecorder(100_000, seededRandom(5));
}

/**
 * Runs `step` over `count` items, `perCall` at a time, until done or `budgetMs` is spent (never
 * stops early when `budgetMs` is `Infinity`, as for fills). Each call's
 * time divided by its item count is recorded as the latency of each of its items: per operation when
 * `perCall` is 1 (typical mode), per batch otherwise (fast mode).
 *
 * A call that returns no promise (a synchronous batch) is followed by one turn of the event loop, as
 * between two requests of a server, so an engine that does background work on the event loop
 * (Velocity's flushes and compactions) gets to do it; the turn is untimed but inside the wall time,
 * so ops/s pays for it. With `pausing`, `pause()` is awaited after every `every` calls instead.
 */
export async function timed(
  count: number,
  perCall: number,
  budgetMs: number,
  step: Step,
  pausing?: { every: number; pause: () => Promise<void> },
): Promise<WorkloadResult> {
  const recorder = newRecorder();
  const started = process.hrtime.bigint();
  const deadline = Number.isFinite(budgetMs) ? started + BigInt(Math.round(budgetMs * 1e6)) : undefined;
  let done = 0;
  let t1 = started;
  let calls = 0;
  while (done < count) {
    const n = Math.min(perCall, count - done);
    const t0 = process.hrtime.bigint();
    const pending = step(done, n);
    if (pending) await pending;
    t1 = process.hrtime.bigint();
    recorder.record(Number(t1 - t0) / 1000 / n);
    done += n;
    if (deadline !== undefined && t1 > deadline) break;
    if (pausing) {
      if (++calls % pausing.every === 0) await pausing.pause();
    } else if (!pending) await yieldToEventLoop();
  }
  return summarize(recorder, done, Number(t1 - started) / 1e9);
}

/** Waits for the event loop to run everything else that is ready (timers, I/O, other loops). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
