import { describe, expect, it } from 'vitest';
import { LruCache, S3FifoCache, scanMixTrace, simulateHitRatio, zipfTrace } from '../src/index.js';

describe('S3FifoCache', () => {
  it('keeps a key read twice over a one-time scan that would flush an LRU', () => {
    const s3 = new S3FifoCache<number, number>({ capacity: 10_000 });
    const lru = new LruCache<number, number>({ capacity: 10_000 });
    for (const cache of [s3, lru]) {
      cache.set(1, 1, 100);
      cache.get(1);
      for (let i = 100; i < 300; i++) cache.set(i, i, 100); // a scan twice the cache's size
    }
    expect(s3.get(1)).toBe(1);
    expect(lru.get(1)).toBeUndefined();
  });

  it('sends a key evicted recently (a ghost) straight to main when it comes back', () => {
    const cache = new S3FifoCache<number, number>({ capacity: 1000 });
    for (let i = 0; i < 20; i++) cache.set(i, i, 100);
    cache.set(0, 0, 100); // 0 left through small into the ghost
    for (let i = 100; i < 120; i++) cache.set(i, i, 100);
    expect(cache.get(0)).toBe(0);
  });

  it('beats LRU on skewed and scan-mixed traces (the measurement behind the default)', () => {
    const policies = [
      { name: 'lru', create: (c: number) => new LruCache<number, unknown>({ capacity: c }) },
      { name: 's3', create: (c: number) => new S3FifoCache<number, unknown>({ capacity: c }) },
    ];
    for (const trace of [zipfTrace(20_000, 0.9, 60_000), scanMixTrace(2_000, 5_000, 60_000)]) {
      const [lru, s3] = simulateHitRatio(policies, trace, 4 << 20);
      expect(s3.hitRatio).toBeGreaterThan(lru.hitRatio);
    }
  });
});
