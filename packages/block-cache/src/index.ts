/**
 * Byte-bounded caches with swappable eviction policies: `LruCache` and `S3FifoCache` (the default,
 * chosen by measured hit ratio), plus the hit-ratio simulator that made the choice.
 * @packageDocumentation
 */
import type { Cache } from './cache.js';
import { S3FifoCache } from './s3-fifo-cache.js';

export type { Cache, CacheOptions, CacheStats } from './cache.js';
export { LruCache } from './lru-cache.js';
export { S3FifoCache } from './s3-fifo-cache.js';
export { type HitRatioResult, type PolicyFactory, simulateHitRatio } from './simulator.js';
export { type Access, scanMixTrace, seededRandom, zipfian, zipfTrace } from './traces.js';

/**
 * The default cache: S3-FIFO, which matched or beat LRU on every trace of `bench/hit-ratio.mjs`
 * (see the package README for the table). `onEvict` as in {@link CacheOptions}.
 */
export function createDefaultCache<K, V>(
  capacity: number,
  onEvict?: (key: K, value: V) => void,
): Cache<K, V> {
  return new S3FifoCache<K, V>({ capacity, onEvict });
}
