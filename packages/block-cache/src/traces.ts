import { seededRandom } from '@velocity/core';

/**
 * Synthetic access traces for the hit-ratio simulator: zipfian popularity at a chosen skew, and a scan
 * loop mixed with hot keys. Deterministic for a seed.
 * @module
 */

/** One access: a key and the size of its object in bytes. */
export interface Access {
  /** The object's key. */
  key: number;
  /** The object's size in bytes (its charge when cached). */
  size: number;
}

/** The seeded PRNG the traces use (from `@velocity/core`). */
export { seededRandom };

/** Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1)^skew (inverse CDF table). */
export function zipfian(n: number, skew: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1) ** skew;
    cdf[i] = sum;
  }
  return () => {
    const target = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Object size for a key: about 4 KiB (a data block), varying by ±50%, fixed per key. */
function sizeOf(key: number): number {
  return 2048 + ((Math.imul(key, 2654435761) >>> 0) % 4096);
}

/** `length` accesses over `keys` keys with zipfian popularity; popular keys are scattered. */
export function zipfTrace(keys: number, skew: number, length: number, seed = 1): Access[] {
  const random = seededRandom(seed);
  const draw = zipfian(keys, skew, random);
  const out: Access[] = [];
  for (let i = 0; i < length; i++) {
    const key = (Math.imul(draw(), 2654435761) >>> 0) % 1_000_000_007;
    out.push({ key, size: sizeOf(key) });
  }
  return out;
}

/**
 * Hot keys (zipfian, skew 1) interleaved with long sequential scans over a large cold range, the
 * pattern of an LSM engine serving point reads while an iterator or a compaction streams blocks.
 */
export function scanMixTrace(hotKeys: number, scanLength: number, length: number, seed = 2): Access[] {
  const random = seededRandom(seed);
  const draw = zipfian(hotKeys, 1, random);
  const out: Access[] = [];
  let scanPos = 10_000_000;
  while (out.length < length) {
    for (let i = 0; i < 4 * scanLength && out.length < length; i++)
      out.push({ key: draw(), size: sizeOf(i) });
    for (let i = 0; i < scanLength && out.length < length; i++) {
      const key = scanPos++;
      out.push({ key, size: sizeOf(key) });
    }
  }
  return out;
}
