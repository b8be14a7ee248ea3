/**
 * Deterministic randomness for benchmarks: a seeded PRNG, zipfian ranks, keys and incompressible values.
 * @module
 */

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Zipfian ranks in [0, n) with the given skew (YCSB uses 0.99), by Gray et al.'s method as YCSB
 * implements it: constant time per draw after an O(n) setup.
 */
export function zipfian(n: number, random: () => number, skew = 0.99): () => number {
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

/** Fixed-width key `i` as bytes: zero-padded decimal, `size` bytes long (16 for LevelDB's preset). */
export function keyOf(i: number, size: number): Uint8Array {
  const text = String(i).padStart(size, '0');
  return Buffer.from(text.slice(text.length - size), 'latin1');
}

/** A pool of incompressible values; `valueOf(i)` returns a view into it (no allocation per op). */
export function valuePool(size: number, seed = 42): (i: number) => Uint8Array {
  const random = seededRandom(seed);
  const pool = new Uint8Array(size * 64 + 1024);
  for (let i = 0; i < pool.length; i++) pool[i] = Math.floor(random() * 256);
  return (i) => {
    const offset = (i * 97) % (pool.length - size);
    return pool.subarray(offset, offset + size);
  };
}
