/**
 * Node heights for the skip list: a deterministic xorshift32 generator (same shape on every run, so
 * benchmarks and failures reproduce), branching factor 4, at most {@link MAX_HEIGHT} levels.
 * @module
 */

/** Most levels a node can have. With branching 4, 12 levels serve 4^12 = 16M entries well. */
export const MAX_HEIGHT = 12;

/** Picks skip-list node heights: height h with probability (3/4)(1/4)^(h-1), capped at 12. */
export class RandomHeight {
  private state: number;

  /** `seed` must be non-zero in its low 32 bits; the default is fixed for reproducibility. */
  constructor(seed = 0x2545f491) {
    this.state = seed | 0 || 1;
  }

  /** The next height, 1..MAX_HEIGHT. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    let height = 1;
    // Two random bits per level: zero with probability 1/4 (branching 4). 32 bits cover 16 levels.
    while (height < MAX_HEIGHT && (x & 3) === 0) {
      height++;
      x >>>= 2;
    }
    return height;
  }
}
