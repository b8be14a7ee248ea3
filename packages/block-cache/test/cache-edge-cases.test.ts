// Edge cases of the caches that the randomized tests reach only on some runs: argument checks,
// deleting an entry that lives in S3-FIFO's main queue, main-queue eviction while small is under its
// target, and clearing a queue that holds withdrawn items.
import { describe, expect, it } from 'vitest';
import { FifoQueue } from '../src/fifo-queue.js';
import { LruCache, S3FifoCache } from '../src/index.js';

describe('cache arguments', () => {
  for (const [name, create] of [
    ['LruCache', (capacity: number) => new LruCache<string, number>({ capacity })],
    ['S3FifoCache', (capacity: number) => new S3FifoCache<string, number>({ capacity })],
  ] as const) {
    it(`${name} refuses a capacity that is not a non-negative integer`, () => {
      for (const capacity of [-1, 1.5, Number.NaN, '10' as unknown as number]) {
        expect(() => create(capacity)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      }
    });

    it(`${name} refuses a charge that is negative or not finite, and stores nothing`, () => {
      const cache = create(1000);
      for (const charge of [-1, Number.POSITIVE_INFINITY, Number.NaN]) {
        expect(() => cache.set('k', 1, charge)).toThrow(
          expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
        );
      }
      expect(cache.get('k')).toBeUndefined();
    });
  }
});

describe('S3FifoCache main queue', () => {
  /** A cache of 1000 bytes whose keys 0..4 were read while in small, so they moved to main. */
  function withMain(): S3FifoCache<number, number> {
    const cache = new S3FifoCache<number, number>({ capacity: 1000 });
    for (let i = 0; i < 5; i++) {
      cache.set(i, i, 100);
      cache.get(i);
    }
    // Filling the cache pushes 0..4 out of small; read once, they move to main instead of leaving.
    for (let i = 100; i < 110; i++) cache.set(i, i, 100);
    return cache;
  }

  it('deletes an entry that lives in main, and frees its charge', () => {
    const cache = withMain();
    expect(cache.get(2)).toBe(2);
    expect(cache.delete(2)).toBe(true);
    expect(cache.get(2)).toBeUndefined();
    expect(cache.delete(2)).toBe(false);
    // The freed 100 bytes take one more entry without evicting any of the others in main.
    cache.set(200, 200, 100);
    for (const k of [0, 1, 3, 4]) expect(cache.get(k)).toBe(k);
  });

  it('evicts from the head of main when small is back within its target', () => {
    const cache = new S3FifoCache<number, number>({ capacity: 1000, smallRatio: 0.5 });
    for (let i = 0; i < 10; i++) {
      cache.set(i, i, 100);
      cache.get(i);
    }
    // Room for 10: 0..4 leave small for main (each was read), which brings small down to its 500-byte
    // target; the last 100 bytes then come from main, whose oldest entry (0) has not been read since.
    cache.set(10, 10, 100);
    expect(cache.stats()).toMatchObject({ evictions: 1, bytesUsed: 1000, entries: 10 });
    expect(cache.get(0)).toBeUndefined();
    for (let k = 1; k <= 10; k++) expect(cache.get(k)).toBe(k);
  });
});

describe('FifoQueue', () => {
  it('clear() forgets withdrawn and live items, which can then be queued again', () => {
    const queue = new FifoQueue<{ ticket: number; n: number }>();
    const items = [0, 1, 2].map((n) => ({ ticket: 0, n }));
    for (const item of items) queue.push(item);
    queue.withdraw(items[1]);
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
    for (const item of items) expect(item.ticket).toBe(0);
    queue.push(items[1]);
    expect(queue.shift()).toBe(items[1]);
  });
});
