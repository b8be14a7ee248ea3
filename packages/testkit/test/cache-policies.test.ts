import {
  type Cache,
  type CacheStats,
  createDefaultCache,
  LruCache,
  S3FifoCache,
} from '@velocity/block-cache';
import { describe, expect, it } from 'vitest';
import { cachePolicySuite, checkCacheOperations } from '../src/index.js';

cachePolicySuite('LruCache', (capacity) => new LruCache({ capacity }));
cachePolicySuite('S3FifoCache', (capacity) => new S3FifoCache({ capacity }));
cachePolicySuite('createDefaultCache', (capacity) => createDefaultCache(capacity));

/** A broken cache that never evicts: the suite must catch it. */
class NeverEvicts<K, V> implements Cache<K, V> {
  readonly name = 'broken';
  private readonly map = new Map<K, [V, number]>();
  private hits = 0;
  private misses = 0;
  constructor(readonly capacity: number) {}
  get(key: K) {
    const e = this.map.get(key);
    if (e) this.hits++;
    else this.misses++;
    return e?.[0];
  }
  set(key: K, value: V, charge: number) {
    this.map.set(key, [value, charge]);
  }
  delete(key: K) {
    return this.map.delete(key);
  }
  clear() {
    this.map.clear();
  }
  stats(): CacheStats {
    let bytesUsed = 0;
    for (const [, c] of this.map.values()) bytesUsed += c;
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: 0,
      bytesUsed,
      entries: this.map.size,
      capacity: this.capacity,
    };
  }
}

describe('the cache suite can fail', () => {
  it('catches a cache that exceeds its capacity', () => {
    const ops = [
      { kind: 'set' as const, key: 1, charge: 80 },
      { kind: 'set' as const, key: 2, charge: 80 },
    ];
    expect(() => checkCacheOperations((c) => new NeverEvicts(c), 100, ops)).toThrowError(/capacity exceeded/);
  });
});
