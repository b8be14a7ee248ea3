import { corruption, decodeFixed32 } from '@velocity/core';
import { readVarint32, varintEnd } from './block.js';

/**
 * Every entry of a table's data blocks decoded into flat arrays: all a resident table keeps of its data.
 * Each entry's key and value are copied whole and side by side into one buffer, entry after entry, so
 * that a point lookup that found its key has the value in the same or the next cache line: key `e` is
 * `bytes[starts[2e], starts[2e + 1])` and its value `bytes[starts[2e + 1], starts[2e + 2])`, and one
 * read of `starts` gives all three bounds. The entries of block `b` are `[firstEntry[b], firstEntry[b + 1])`.
 * Arrays are sized from the table's properties (entry count, key bytes and value bytes, all
 * checksummed); a table whose blocks hold more is `CORRUPTION`.
 *
 * Why side by side: a random point read of a resident table is bound by memory latency, not by
 * instructions. With keys and values in separate buffers and their bounds in separate arrays, a hit
 * touched five cache lines in five dependent loads (hash slot, key bounds, key, value bounds, value);
 * now it touches three (hash slot, bounds, the entry itself). Measured in apps/bench (bench README,
 * "Point reads, fifth pass").
 *
 * Memory: the keys and values whole plus 8 bytes per entry and 4 per block
 * ({@link FlatEntries.bytesFor}): about 132 bytes per entry for 16-byte user keys in internal keys and
 * 100-byte values, next to the ~130 the entry takes in its block, which is not kept (the blocks' prefix
 * compression, restart arrays and trailers are only read once, at load).
 */
export class FlatEntries {
  /** Each entry's key, then its value, entry after entry. */
  readonly bytes: Uint8Array;
  /**
   * Bounds in `bytes`: `starts[2e]` is where key `e` starts, `starts[2e + 1]` where it ends and its
   * value starts, `starts[2e + 2]` where the value ends (`2 × count + 1` of them used).
   */
  readonly starts: Uint32Array;
  /** The first entry of block `b` (and `firstEntry[b + 1]` the end of its entries). */
  readonly firstEntry: Uint32Array;
  /** Entries decoded so far. */
  private entries = 0;
  /** Bytes used so far. */
  private used = 0;

  constructor(entries: number, keyBytes: number, valueBytes: number, blocks: number) {
    this.bytes = new Uint8Array(keyBytes + valueBytes);
    this.starts = new Uint32Array(2 * entries + 1);
    this.firstEntry = new Uint32Array(blocks + 1);
  }

  /** Bytes of the arrays of a table of `entries` entries, `keyBytes` and `valueBytes`, in `blocks` blocks. */
  static bytesFor(entries: number, keyBytes: number, valueBytes: number, blocks: number): number {
    return keyBytes + valueBytes + 4 * (2 * entries + 1) + 4 * (blocks + 1);
  }

  /** Entries decoded so far (`starts[2 × count]` is the end of the last value). */
  get count(): number {
    return this.entries;
  }

  /** Bytes of the arrays. */
  get byteSize(): number {
    return this.bytes.byteLength + this.starts.byteLength + this.firstEntry.byteLength;
  }

  /**
   * Appends the entries of block `b`, whose contents are `src[start, end)` (the layout of
   * `BlockBuilder`), checking every bound as `BlockIterator` does, and copies their values. Blocks are
   * added in order; a block that fails (`CORRUPTION`) adds no entries, and the next block may still be
   * added. `src` is not kept.
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
    this.starts[2 * this.entries] = this.used;
  }

  private decode(src: Uint8Array, start: number, end: number): void {
    if (end - start < 4) throw corruption('block too short for its restart count');
    const numRestarts = decodeFixed32(src, end - 4);
    if (numRestarts < 1 || numRestarts > (end - start - 4) / 4) throw corruption('bad block restart count');
    const limit = end - (1 + numRestarts) * 4;
    const bytes = this.bytes;
    const starts = this.starts;
    const capacity = (starts.length - 1) / 2;
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
      if (n >= capacity || at + keyLength + valueLength > bytes.length) {
        throw corruption('table holds more entries than its properties say');
      }
      starts[2 * n] = at;
      // The shared prefix is the previous key's, which lies before that key's value in `bytes`.
      if (shared > 0) bytes.copyWithin(at, prevStart, prevStart + shared);
      for (let i = 0; i < unshared; i++) bytes[at + shared + i] = src[pos + i];
      prevStart = at;
      prevLength = keyLength;
      at += keyLength;
      pos += unshared;
      starts[2 * n + 1] = at;
      // A loop for short values, set() for longer ones (its view costs less than a byte loop over 100
      // bytes: making a 100k-entry table resident took 2.4 ms per MiB this way, 3 with a loop).
      if (valueLength <= 32) {
        for (let i = 0; i < valueLength; i++) bytes[at + i] = src[pos + i];
      } else {
        bytes.set(src.subarray(pos, pos + valueLength), at);
      }
      at += valueLength;
      pos += valueLength;
      n++;
    }
    this.entries = n;
    this.used = at;
  }
}
