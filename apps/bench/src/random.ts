/**
 * Deterministic randomness for benchmarks: a seeded PRNG, a zipfian generator, keys and
 * incompressible values. Everything here is reproducible from its seed.
 * @module
 */

import { seededRandom } from '@velocity/core';

/** Re-exported so the bench's modules take every random source from one place. */
export { seededRandom };

/**
 * A zipfian rank generator over [0, n): rank r is drawn with probability proportional to
 * 1 / (r + 1)^skew (YCSB uses skew 0.99). Gray et al.'s method, as YCSB implements it: an O(n) setup
 * (the zeta sum), then constant time per draw. Deterministic for a given `random`.
 */
export function zipfian(n: number, random: () => number, skew = 0.99): () => number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipfian: n must be a positive integer, got ${n}`);
  if (!(skew > 0 && skew < 1)) throw new RangeError(`zipfian: skew must be in (0, 1), got ${skew}`);
  if (n === 1) return () => 0;
  let zetan = 0;
  for (let i = 1; i <= n; i++) zetan += 1 / i ** skew;
  const zeta2 = 1 + 1 / 2 ** skew;
  const alpha = 1 / (1 - skew);
  const eta = (1 - (2 / n) ** (1 - skew)) / (1 - zeta2 / zetan);
  return () => {
    const u = random();
    const uz = u * zetan;
    if (uz < 1) return 0;
    if (uz < zeta2) return 1;
    return Math.min(n - 1, Math.floor(n * (eta * u - eta + 1) ** alpha));
  };
}

/** Scatters a rank over [0, n) so that popular keys are not neighbours (YCSB's "scrambled" zipfian). */
export function scramble(rank: number, n: number): number {
  return (Math.imul(rank + 1, 2654435761) >>> 0) % n;
}

/**
 * Key `i` as `size` bytes of zero-padded decimal (`0000000000000042` for LevelDB's 16-byte keys), so
 * byte order is numeric order. A fresh array each call: engines may keep what they are given.
 */
export function keyOf(i: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let rest = Math.floor(i);
  for (let p = size - 1; p >= 0; p--) {
    out[p] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return out;
}

/**
 * A pool of incompressible (seeded random) bytes; `valueOf(i)` returns a `size`-byte view into it at
 * an offset that depends on `i`, so consecutive values differ without an allocation per operation.
 */
export function valuePool(size: number, seed = 42): (i: number) => Uint8Array {
  const random = seededRandom(seed);
  const pool = new Uint8Array(size * 64 + 1024);
  for (let i = 0; i < pool.length; i++) pool[i] = Math.floor(random() * 256);
  return (i) => {
    const offset = (i * 97) % (pool.length - size);
    return pool.subarray(offset, offset + size);
  };
}
