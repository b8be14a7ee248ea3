/** Latency recording with a fixed memory budget: every op's time up to a cap, then reservoir sampling. */
export class LatencyRecorder {
  private readonly samples: Float64Array;
  private count = 0;
  private readonly random: () => number;

  constructor(capacity = 200_000, random: () => number = Math.random) {
    this.samples = new Float64Array(capacity);
    this.random = random;
  }

  /** Records one latency in microseconds. */
  record(micros: number): void {
    if (this.count < this.samples.length) this.samples[this.count] = micros;
    else {
      const j = Math.floor(this.random() * (this.count + 1));
      if (j < this.samples.length) this.samples[j] = micros;
    }
    this.count++;
  }

  /** Percentiles (0-100) of what was recorded, in microseconds. */
  percentiles(ps: readonly number[]): number[] {
    const n = Math.min(this.count, this.samples.length);
    if (n === 0) return ps.map(() => 0);
    const sorted = this.samples.slice(0, n).sort();
    return ps.map((p) => percentile(sorted, p));
  }
}

/** The p-th percentile (0-100) of an ascending array, nearest-rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
