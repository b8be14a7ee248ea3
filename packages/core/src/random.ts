/**
 * A small, fast, seedable pseudo-random generator (mulberry32) for deterministic tests, simulators and
 * benchmarks. Not for anything that needs unpredictability.
 * @module
 */

/** Returns a function that yields floats in [0, 1), the same sequence for the same `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
