/**
 * A 32-bit MurmurHash3 (the `x86_32` variant by Austin Appleby, public domain), written for V8:
 * `Math.imul` for 32-bit multiplies, little-endian 4-byte blocks read byte by byte (no DataView, no
 * allocation). The bloom filter format depends on it, so its output is pinned by the published test
 * vectors in the tests.
 * @module
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * MurmurHash3 `x86_32` of `data[start, end)` with `seed`, as an unsigned 32-bit integer.
 * `start` and `end` default to the whole array.
 *
 * @example
 * ```ts
 * import { murmurHash3 } from '@velocity/bloom';
 * murmurHash3(new Uint8Array([0x21, 0x43, 0x65]), 0); // 0x7e4a8634
 * ```
 */
export function murmurHash3(data: Uint8Array, seed: number, start = 0, end = data.length): number {
  let h = seed | 0;
  const blocksEnd = start + ((end - start) & ~3);
  let i = start;
  for (; i < blocksEnd; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = end - i;
  if (tail > 0) {
    let k = data[i];
    if (tail > 1) k |= data[i + 1] << 8;
    if (tail > 2) k |= data[i + 2] << 16;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= end - start;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
