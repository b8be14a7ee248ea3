import type { SeekableIterator } from '@velocity/core';
import type { FlatEntries } from './flat-entries.js';
import { searchKeys } from './key-search.js';
import type { RangeCompare } from './range-compare.js';

/**
 * A cursor over entries `[from, to)` of {@link FlatEntries} (one data block of a resident table), with
 * the semantics of `BlockIterator`: `seek` is the first entry >= target, moving off either end leaves
 * it invalid. It holds the arrays themselves, so it keeps working after the reader dropped its
 * resident copy. `key()` and `value()` are views of those arrays, which never change.
 */
export class FlatIterator implements SeekableIterator {
  private readonly bytes: Uint8Array;
  private readonly starts: Uint32Array;
  /** The current entry; `to` when not valid. */
  private e: number;
  /** `key()`'s view, made once per position (`keyAt` is the entry it is of). */
  private keyView: Uint8Array | undefined;
  private keyAt = -1;

  /**
   * Over entries `[from, to)` of `flat`, not positioned. `trailer` and `compareRange` are those of
   * `searchKeys` for the table's comparator.
   */
  constructor(
    flat: FlatEntries,
    private readonly from: number,
    private readonly to: number,
    private readonly trailer: number,
    private readonly compareRange: RangeCompare,
  ) {
    this.bytes = flat.bytes;
    this.starts = flat.starts;
    this.e = to;
  }

  valid(): boolean {
    return this.e < this.to;
  }

  key(): Uint8Array {
    const e = this.e;
    if (this.keyAt !== e || this.keyView === undefined) {
      this.keyView = this.bytes.subarray(this.starts[2 * e], this.starts[2 * e + 1]);
      this.keyAt = e;
    }
    return this.keyView;
  }

  value(): Uint8Array {
    const e = this.e;
    return this.bytes.subarray(this.starts[2 * e + 1], this.starts[2 * e + 2]);
  }

  seekToFirst(): void {
    this.e = this.from;
  }

  seekToLast(): void {
    this.e = this.to > this.from ? this.to - 1 : this.to;
  }

  seek(target: Uint8Array): void {
    this.e = searchKeys(
      this.bytes,
      this.starts,
      this.from,
      this.to,
      target,
      this.trailer,
      this.compareRange,
      2,
    );
  }

  next(): void {
    if (this.e < this.to) this.e++;
  }

  prev(): void {
    this.e = this.e > this.from && this.e < this.to ? this.e - 1 : this.to;
  }
}
