import { expect, it } from 'vitest';
import { createDefaultCache, LruCache } from '../src/index.js';

it('runs the README example', () => {
  const thumbnails = createDefaultCache<string, Uint8Array>(8 * 1024 * 1024);
  const image = new Uint8Array(200_000);
  thumbnails.set('cat.png', image, image.byteLength);
  expect(thumbnails.get('cat.png')).toBe(image);
  const lru = new LruCache<number, string>({ capacity: 10 });
  lru.set(1, 'one', 6);
  lru.set(2, 'two', 6); // evicts 1
  expect(lru.get(1)).toBeUndefined();
  const { hits, misses, bytesUsed } = thumbnails.stats();
  expect([hits, misses, bytesUsed]).toEqual([1, 0, 200_000]);
});
