/**
 * Latency percentiles with a fixed memory budget.
 * @module
 */

/**
 * Records latencies in microseconds: every one up to `capacity`, then a uniform sample of all of them
 * (reservoir sampling, Algorithm R). The maximum is always exact.
 */
export class LatencyRecorder {
  private readonly samples: Float64Array;
  private count = 0;
  private maximum = 0;
  private readonly random: () => number;

  /** `random` drives the reservoir (seed it for reproducible percentiles). */
  constructor(capacity = 100_000, random: () => number = Math.random) {
    this.samples = new Float64Array(capacity);
    this.random = random;
  }

  /** Records one latency in microseconds. */
  record(micros: number): void {
    if (micros > this.maximum) this.maximum = micros;
    if (this.count < this.samples.length) this.samples[this.count] = micros;
    else {
      const j = Math.floor(this.random() * (this.count + 1));
      if (j < this.samples.length) this.samples[j] = micros;
    }
    this.count++;
  }

  /** How many latencies were recorded (not only kept). */
  get recorded(): number {
    return this.count;
  }

  /** The largest latency recorded, in microseconds (0 if none). */
  get max(): number {
    return this.maximum;
  }

  /** Percentiles (each 0-100) of what was recorded, in microseconds; 0 when nothing was. */
  percentiles(ps: readonly number[]): number[] {
    const n = Math.min(this.count, this.samples.length);
    if (n === 0) return ps.map(() => 0);
    const sorted = this.samples.slice(0, n).sort();
    return ps.map((p) => percentile(sorted, p));
  }
}

/**
 * The p-th percentile (0-100) of an ascending array by the nearest-rank method: the smallest value
 * with at least p% of the values at or below it. 0 for an empty array.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  // p * n first: (p / 100) * n rounds 99.9% of 1000 up to 999.0000000000001.
  const rank = Math.ceil((p * sorted.length) / 100);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
