import { corruption, decodeFixed32 } from '@velocity/core';
import { readVarint32, varintEnd } from './block.js';

/**
 * Every entry of a table's data blocks decoded into flat arrays: all a resident table keeps of its data.
 * Keys whole and back to back (key `e` is `keys[keyStart[e], keyStart[e + 1])`), values copied back to
 * back into one buffer (value `e` is `values[valueStart[e], valueStart[e + 1])`), and the entries of
 * block `b` as `[firstEntry[b], firstEntry[b + 1])`. Arrays are sized from the table's properties
 * (entry count, key bytes and value bytes, all checksummed); a table whose blocks hold more is
 * `CORRUPTION`.
 *
 * Memory: the keys and values whole plus 8 bytes per entry and 4 per block
 * ({@link FlatEntries.bytesFor}): about 132 bytes per entry for 16-byte user keys in internal keys and
 * 100-byte values, next to the ~130 the entry takes in its block, which is not kept (the blocks' prefix
 * compression, restart arrays and trailers are only read once, at load).
 */
export class FlatEntries {
  /** The keys, whole and back to back. */
  readonly keys: Uint8Array;
  /** Where key `e` starts in `keys` (`count + 1` of them used: the last is the end of the last key). */
  readonly keyStart: Uint32Array;
  /** The values, back to back. */
  readonly values: Uint8Array;
  /** Where value `e` starts in `values` (as `keyStart`). */
  readonly valueStart: Uint32Array;
  /** The first entry of block `b` (and `firstEntry[b + 1]` the end of its entries). */
  readonly firstEntry: Uint32Array;
  /** Entries decoded so far. */
  private entries = 0;
  /** Key bytes used so far. */
  private usedKeys = 0;
  /** Value bytes used so far. */
  private usedValues = 0;

  constructor(entries: number, keyBytes: number, valueBytes: number, blocks: number) {
    this.keys = new Uint8Array(keyBytes);
    this.keyStart = new Uint32Array(entries + 1);
    this.values = new Uint8Array(valueBytes);
    this.valueStart = new Uint32Array(entries + 1);
    this.firstEntry = new Uint32Array(blocks + 1);
  }

  /** Bytes of the arrays of a table of `entries` entries, `keyBytes` and `valueBytes`, in `blocks` blocks. */
  static bytesFor(entries: number, keyBytes: number, valueBytes: number, blocks: number): number {
    return keyBytes + valueBytes + 8 * (entries + 1) + 4 * (blocks + 1);
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
      this.values.byteLength +
      this.valueStart.byteLength +
      this.firstEntry.byteLength
    );
  }

  /**
   * Appends the entries of block `b`, whose contents are `src[start, end)` (the layout of
   * `BlockBuilder`), checking every bound as `BlockIterator` does, and copies their values. Blocks are
   * added in order; a block that fails (`CORRUPTION`) adds no entries, and the next block may still be
   * added. `src` is not kept.
   */
  addBlock(b: number, src: Uint8Array, start: number, end: number): void {
    const first = this.entries;
    const firstKeys = this.usedKeys;
    const firstValues = this.usedValues;
    try {
      this.decode(src, start, end);
    } catch (error) {
      this.entries = first;
      this.usedKeys = firstKeys;
      this.usedValues = firstValues;
      throw error;
    } finally {
      this.skipBlock(b, first);
    }
  }

  /**
   * Records block `b` as holding the entries from `first` to those decoded so far (none by default:
   * it failed verification before decoding).
   */
  skipBlock(b: number, first = this.entries): void {
    this.firstEntry[b] = first;
    this.firstEntry[b + 1] = this.entries;
    this.keyStart[this.entries] = this.usedKeys;
    this.valueStart[this.entries] = this.usedValues;
  }

  private decode(src: Uint8Array, start: number, end: number): void {
    if (end - start < 4) throw corruption('block too short for its restart count');
    const numRestarts = decodeFixed32(src, end - 4);
    if (numRestarts < 1 || numRestarts > (end - start - 4) / 4) throw corruption('bad block restart count');
    const limit = end - (1 + numRestarts) * 4;
    const keys = this.keys;
    const keyStart = this.keyStart;
    const values = this.values;
    const valueStart = this.valueStart;
    const capacity = keyStart.length - 1;
    let n = this.entries;
    let at = this.usedKeys;
    let valueAt = this.usedValues;
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
      if (n >= capacity || at + keyLength > keys.length || valueAt + valueLength > values.length) {
        throw corruption('table holds more entries than its properties say');
      }
      keyStart[n] = at;
      valueStart[n] = valueAt;
      if (shared > 0) keys.copyWithin(at, prevStart, prevStart + shared);
      for (let i = 0; i < unshared; i++) keys[at + shared + i] = src[pos + i];
      prevStart = at;
      prevLength = keyLength;
      at += keyLength;
      pos += unshared;
      // A loop for short values, set() for longer ones (its view costs less than a byte loop over 100
      // bytes: making a 100k-entry table resident took 2.4 ms per MiB this way, 3 with a loop).
      if (valueLength <= 32) {
        for (let i = 0; i < valueLength; i++) values[valueAt + i] = src[pos + i];
      } else {
        values.set(src.subarray(pos, pos + valueLength), valueAt);
      }
      valueAt += valueLength;
      pos += valueLength;
      n++;
    }
    this.entries = n;
    this.usedKeys = at;
    this.usedValues = valueAt;
  }
}
