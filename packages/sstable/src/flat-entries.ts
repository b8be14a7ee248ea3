import { corruption, decodeFixed32 } from '@velocity/core';
import { readVarint32, varintEnd } from './block.js';

/**
 * Every entry of a table's data blocks decoded into flat arrays, for point lookups in resident tables:
 * keys whole and back to back (key `e` is `keys[keyStart[e], keyStart[e + 1])`), each value's range in
 * its block's bytes (`valueStart[e]`, `valueEnd[e]`), and the entries of block `b` as
 * `[firstEntry[b], firstEntry[b + 1])`. Arrays are sized from the table's properties (entry count and
 * key bytes, both checksummed); a table whose blocks hold more is `CORRUPTION`.
 *
 * Memory: the keys whole plus 12 bytes per entry and 4 per block: about 36 bytes per entry for
 * 16-byte user keys in internal keys, next to the ~130 the entry takes in its block.
 */
export class FlatEntries {
  readonly keys: Uint8Array;
  readonly keyStart: Uint32Array;
  readonly valueStart: Uint32Array;
  readonly valueEnd: Uint32Array;
  readonly firstEntry: Uint32Array;
  /** Entries decoded so far. */
  private count = 0;
  /** Key bytes used so far. */
  private used = 0;

  constructor(entries: number, keyBytes: number, blocks: number) {
    this.keys = new Uint8Array(keyBytes);
    this.keyStart = new Uint32Array(entries + 1);
    this.valueStart = new Uint32Array(entries);
    this.valueEnd = new Uint32Array(entries);
    this.firstEntry = new Uint32Array(blocks + 1);
  }

  /** Bytes of the arrays. */
  get byteSize(): number {
    return (
      this.keys.byteLength +
      this.keyStart.byteLength +
      this.valueStart.byteLength * 2 +
      this.firstEntry.byteLength
    );
  }

  /**
   * Appends the entries of block `b`, whose contents are `src[start, end)` (the layout of
   * `BlockBuilder`), checking every bound as `BlockIterator` does. Blocks are added in order; a block
   * that fails (`CORRUPTION`) adds no entries, and the next block may still be added.
   */
  addBlock(b: number, src: Uint8Array, start: number, end: number): void {
    const first = this.count;
    const firstUsed = this.used;
    try {
      this.decode(src, start, end);
    } catch (error) {
      this.count = first;
      this.used = firstUsed;
      throw error;
    } finally {
      this.firstEntry[b] = first;
      this.firstEntry[b + 1] = this.count;
      this.keyStart[this.count] = this.used;
    }
  }

  /** Records block `b` as holding no entries (it failed verification before decoding). */
  skipBlock(b: number): void {
    this.firstEntry[b] = this.count;
    this.firstEntry[b + 1] = this.count;
    this.keyStart[this.count] = this.used;
  }

  private decode(src: Uint8Array, start: number, end: number): void {
    if (end - start < 4) throw corruption('block too short for its restart count');
    const numRestarts = decodeFixed32(src, end - 4);
    if (numRestarts < 1 || numRestarts > (end - start - 4) / 4) throw corruption('bad block restart count');
    const limit = end - (1 + numRestarts) * 4;
    const keys = this.keys;
    const keyStart = this.keyStart;
    let n = this.count;
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
      if (n >= this.valueStart.length || at + keyLength > keys.length) {
        throw corruption('table holds more entries than its properties say');
      }
      keyStart[n] = at;
      if (shared > 0) keys.copyWithin(at, prevStart, prevStart + shared);
      for (let i = 0; i < unshared; i++) keys[at + shared + i] = src[pos + i];
      prevStart = at;
      prevLength = keyLength;
      at += keyLength;
      pos += unshared;
      this.valueStart[n] = pos;
      pos += valueLength;
      this.valueEnd[n] = pos;
      n++;
    }
    this.count = n;
    this.used = at;
  }
}
