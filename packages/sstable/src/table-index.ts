import { type Comparator, corruption } from '@velocity/core';
import type { Block } from './block.js';
import { decodeBlockHandle } from './format.js';
import { searchKeys } from './key-search.js';
import { type RangeCompare, bytewiseTrailerSize, rangeCompareFor } from './range-compare.js';

/**
 * A table's index block decoded once, at open, into flat arrays: every separator key back to back in
 * one byte array, and each data block's offset and size in typed arrays. A lookup is a binary search
 * over them with the byte comparison written inline (for the bytewise order and internal keys over
 * it), where searching the index block itself decoded varints and handles at every probe and made a
 * handle object per lookup (see {@link searchKeys}). Costs about the index block's size again in memory (the block itself is
 * dropped after decoding).
 */
export class TableIndex {
  /** Number of data blocks. */
  readonly length: number;
  /** Separator keys, back to back: key `i` is `keys[keyStart[i], keyStart[i + 1])`. */
  private readonly keys: Uint8Array;
  private readonly keyStart: Uint32Array;
  /** File offset of data block `i`. */
  readonly offsets: Float64Array;
  /** Stored size (without trailer) of data block `i`. */
  readonly sizes: Float64Array;
  /** Bytes of the key parts compared bytewise: key length minus this; -1 for other orders. */
  private readonly trailerSize: number;
  private readonly compareRange: RangeCompare;

  /** Decodes `block` (an index block: separator key -> block handle). Throws `CORRUPTION` if malformed. */
  constructor(block: Block, comparator: Comparator) {
    const it = block.iterator(comparator);
    const keys: Uint8Array[] = [];
    const offsets: number[] = [];
    const sizes: number[] = [];
    let total = 0;
    for (it.seekToFirst(); it.valid(); it.next()) {
      const key = it.key().slice();
      const handle = decodeBlockHandle(it.value());
      if (offsets.length > 0 && handle.offset < offsets[offsets.length - 1]) {
        throw corruption('index block handles out of order');
      }
      keys.push(key);
      offsets.push(handle.offset);
      sizes.push(handle.size);
      total += key.length;
    }
    this.length = keys.length;
    this.keys = new Uint8Array(total);
    this.keyStart = new Uint32Array(keys.length + 1);
    let at = 0;
    for (let i = 0; i < keys.length; i++) {
      this.keyStart[i] = at;
      this.keys.set(keys[i], at);
      at += keys[i].length;
    }
    this.keyStart[keys.length] = at;
    this.offsets = Float64Array.from(offsets);
    this.sizes = Float64Array.from(sizes);
    this.trailerSize = bytewiseTrailerSize(comparator) ?? -1;
    this.compareRange = rangeCompareFor(comparator);
  }

  /** Bytes held by the arrays (what the index costs in memory). */
  get byteSize(): number {
    return this.keys.byteLength + this.keyStart.byteLength + this.offsets.byteLength * 2;
  }

  /** The separator key of block `i` (a view). */
  key(i: number): Uint8Array {
    return this.keys.subarray(this.keyStart[i], this.keyStart[i + 1]);
  }

  /**
   * The first block whose separator key is >= `target` (the only block that can hold `target` or the
   * first entry after it), or `length` when `target` is past every key of the table.
   */
  find(target: Uint8Array): number {
    return searchKeys(this.keys, this.keyStart, 0, this.length, target, this.trailerSize, this.compareRange);
  }
}
