import type { Cache } from './cache.js';
import type { Access } from './traces.js';

/** A policy under test: a name and a factory taking the capacity in bytes. */
export interface PolicyFactory {
  /** Name reported in the results. */
  name: string;
  /** Makes an empty cache of `capacity` bytes. */
  create: (capacity: number) => Cache<number, unknown>;
}

/** One policy's result on one trace. */
export interface HitRatioResult {
  /** The policy's name. */
  policy: string;
  /** Hits / (hits + misses), from 0 to 1. */
  hitRatio: number;
  /** Accesses replayed per second. */
  opsPerSecond: number;
}

/**
 * Replays `trace` against each policy as a read-through cache (a miss inserts the object with its
 * size as charge) and reports hit ratios and speed.
 */
export function simulateHitRatio(
  policies: readonly PolicyFactory[],
  trace: readonly Access[],
  capacity: number,
): HitRatioResult[] {
  return policies.map(({ name, create }) => {
    const cache = create(capacity);
    const started = performance.now();
    for (const { key, size } of trace) {
      if (cache.get(key) === undefined) cache.set(key, key, size);
    }
    const seconds = (performance.now() - started) / 1000;
    const { hits, misses } = cache.stats();
    return { policy: name, hitRatio: hits / (hits + misses), opsPerSecond: trace.length / seconds };
  });
}
