/**
 * Copies of the small values a database hands to its callers, cut from shared slabs.
 *
 * A `Uint8Array` longer than 64 bytes gets its own off-heap `ArrayBuffer` in V8: a `malloc`, external
 * memory accounting and a finalizer for the garbage collector, about 0.3 µs each, which was a quarter
 * of the cost of a sequential scan. Copies of 65 to 1024 bytes are instead cut from a 16 KiB slab, as
 * Node's `Buffer` pool does: about 0.06 µs each. Smaller copies are on-heap typed arrays already, and
 * larger ones are rare enough to get their own buffer.
 * @module
 */

/** Copies of at most this many bytes share a slab. */
export const POOLED_COPY_MAX = 1024;
/** Copies of at most this many bytes are plain `slice()`s (V8 keeps them on its heap, cheaply). */
const ON_HEAP_MAX = 64;
const SLAB_SIZE = 16 * 1024;

let slab = new Uint8Array(SLAB_SIZE);
let used = 0;

/**
 * A private copy of `src[start, end)`. Every copy owns its byte range; copies of 65 to 1024 bytes may
 * share their underlying `ArrayBuffer` with other copies (as pooled Node `Buffer`s do), so use
 * `byteOffset` and `byteLength` with `.buffer`, and do not transfer it.
 *
 * @example
 * ```ts
 * import { copyBytes } from '@velocity/core';
 * const block = new Uint8Array(4096);
 * const value = copyBytes(block, 100, 200); // 100 bytes, independent of `block`
 * ```
 */
export function copyBytes(src: Uint8Array, start = 0, end: number = src.length): Uint8Array {
  const n = end - start;
  if (n <= ON_HEAP_MAX || n > POOLED_COPY_MAX) return src.slice(start, end);
  if (used + n > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    used = 0;
  }
  const out = slab.subarray(used, used + n);
  out.set(start === 0 && end === src.length ? src : src.subarray(start, end));
  // Keep every copy 8-byte aligned, so a caller may view it as wider typed arrays where lengths allow.
  used += (n + 7) & ~7;
  return out;
}
