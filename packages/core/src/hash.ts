/**
 * A fast 32-bit hash of byte ranges, for in-memory hash indexes and filters (not stored on disk, so it
 * may change between versions).
 * @module
 */

/**
 * 32-bit FNV-1a of `bytes[start, end)`, finished with MurmurHash3's mixer so that its low bits are as
 * uniform as its high ones.
 *
 * @example
 * ```ts
 * import { hashBytes } from '@velocity/core';
 * const h = hashBytes(new TextEncoder().encode('key'), 0, 3); // an unsigned 32-bit number
 * ```
 */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
