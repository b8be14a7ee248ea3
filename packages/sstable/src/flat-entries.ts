import { corruption, decodeFixed32 } from '@velocity/core';
import { readVarint32, varintEnd } from './block.js';

/**
 * Every entry of a table's data blocks decoded into flat arrays, for point lookups in resident tables:
 * keys whole and back to back (key `e` is `keys[keyStart[e], keyStart[e + 1])`), each value's range in
 * its block's bytes (`valueRange[2e]` to `valueRange[2e + 1]`, side by side so that a lookup touches
 * one cache line for both), and the entries of block `b` as
 * `[firstEntry[b], firstEntry[b + 1])`. Arrays are sized from the table's properties (entry count and
 * key bytes, both checksummed); a table whose blocks hold more is `CORRUPTION`.
 *
 * Memory: the keys whole plus 12 bytes per entry and 4 per block: about 36 bytes per entry for
 * 16-byte user keys in internal keys, next to the ~130 the entry takes in its block.
 */
export class FlatEntries {
  readonly keys: Uint8Array;
  readonly keyStart: Uint32Array;
  readonly valueRange: Uint32Array;
  readonly firstEntry: Uint32Array;
  /** Entries decoded so far. */
  private entries = 0;
  /** Key bytes used so far. */
  private used = 0;

  constructor(entries: number, keyBytes: number, blocks: number) {
    this.keys = new Uint8Array(keyBytes);
    this.keyStart = new Uint32Array(entries + 1);
    this.valueRange = new Uint32Array(2 * entries);
    this.firstEntry = new Uint32Array(blocks + 1);
  }

  /** Entries decoded so far (`keyStart[count]` is the end of the last key). */
  get count(): number {
    return this.entries;
  }

  /** Bytes of the arrays. */
  get byteSize(): number {
    return (
      this.keys.byteLength +
      this.keyStart.byteLength +
      this.valueRange.byteLength +
      this.firstEntry.byteLength
    );
  }

  /**
   * Appends the entries of block `b`, whose contents are `src[start, end)` (the layout of
   * `BlockBuilder`), checking every bound as `BlockIterator` does. Blocks are added in order; a block
   * that fails (`CORRUPTION`) adds no entries, and the next block may still be added.
   */
  addBlock(b: number, src: Uint8Array, start: number, end: number): void {
    const first = this.entries;
    const firstUsed = this.used;
    try {
      this.decode(src, start, end);
    } catch (error) {
      this.entries = first;
      this.used = firstUsed;
      throw error;
    } finally {
      this.firstEntry[b] = first;
      this.firstEntry[b + 1] = this.entries;
      this.keyStart[this.entries] = this.used;
    }
  }

  /** Records block `b` as holding no entries (it failed verification before decoding). */
  skipBlock(b: number): void {
    this.firstEntry[b] = this.entries;
    this.firstEntry[b + 1] = this.entries;
    this.keyStart[this.entries] = this.used;
  }

  private decode(src: Uint8Array, start: number, end: number): void {
    if (end - start < 4) throw corruption('block too short for its restart count');
    const numRestarts = decodeFixed32(src, end - 4);
    if (numRestarts < 1 || numRestarts > (end - start - 4) / 4) throw corruption('bad block restart count');
    const limit = end - (1 + numRestarts) * 4;
    const keys = this.keys;
    const keyStart = this.keyStart;
    let n = this.entries;
    let at = this.used;
    let prevStart = at;
    let prevLength = 0;
    let pos = start;
    while (pos < limit) {
      let shared: number;
      let unshared: number;
      let valueLength: number;
      if (pos + 3 <= limit && (src[pos] | src[pos + 1] | src[pos + 2]) < 0x80) {
        shared = src[pos];
        unshared = src[pos + 1];
        valueLength = src[pos + 2];
        pos += 3;
      } else {
        shared = readVarint32(src, pos, limit);
        pos = varintEnd;
        unshared = readVarint32(src, pos, limit);
        pos = varintEnd;
        valueLength = readVarint32(src, pos, limit);
        pos = varintEnd;
      }
      if (shared > prevLength || pos + unshared + valueLength > limit) throw corruption('bad entry in block');
      const keyLength = shared + unshared;
      if (2 * n >= this.valueRange.length || at + keyLength > keys.length) {
        throw corruption('table holds more entries than its properties say');
      }
      keyStart[n] = at;
      if (shared > 0) keys.copyWithin(at, prevStart, prevStart + shared);
      for (let i = 0; i < unshared; i++) keys[at + shared + i] = src[pos + i];
      prevStart = at;
      prevLength = keyLength;
      at += keyLength;
      pos += unshared;
      this.valueRange[2 * n] = pos;
      pos += valueLength;
      this.valueRange[2 * n + 1] = pos;
      n++;
    }
    this.entries = n;
    this.used = at;
  }
}
