import { type Comparator, type SeekableIterator, corruption, decodeFixed32 } from '@velocity/core';
import { type RangeCompare, bytewiseTrailerSize, rangeCompareFor } from './range-compare.js';

/**
 * A parsed block (see {@link BlockBuilder} for the layout): validates the restart array's shape once;
 * entries are decoded lazily by {@link BlockIterator}, which bounds-checks everything it reads.
 */
export class Block {
  /** Offset of the restart array (the end of the entries). */
  readonly restartsOffset: number;
  /** Number of restart points (at least 1). */
  readonly numRestarts: number;

  constructor(readonly data: Uint8Array) {
    if (data.length < 4) throw corruption('block too short for its restart count');
    const maxRestarts = (data.length - 4) / 4;
    const numRestarts = decodeFixed32(data, data.length - 4);
    if (numRestarts < 1 || numRestarts > maxRestarts) throw corruption('bad block restart count');
    this.numRestarts = numRestarts;
    this.restartsOffset = data.length - (1 + numRestarts) * 4;
  }

  /** The offset of restart point `i`; throws `CORRUPTION` when it points past the entries. */
  restartPoint(i: number): number {
    const offset = decodeFixed32(this.data, this.restartsOffset + i * 4);
    if (offset > this.restartsOffset) throw corruption('block restart point out of range');
    return offset;
  }

  /** A new iterator over this block's entries. */
  iterator(comparator: Comparator): BlockIterator {
    return new BlockIterator(this, comparator);
  }
}

/**
 * Where the last {@link readVarint32} ended. Module state (a live binding for importers): callers read
 * it right after the call.
 */
export let varintEnd = 0;

/** Decodes a varint32 at `pos` (before `limit`) and stores its end in `varintEnd`. */
export function readVarint32(buf: Uint8Array, pos: number, limit: number): number {
  let result = 0;
  let shift = 0;
  while (shift <= 28) {
    if (pos >= limit) throw corruption('truncated varint in block');
    const byte = buf[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) {
      varintEnd = pos;
      return result;
    }
    shift += 7;
  }
  throw corruption('overlong varint in block');
}

/**
 * A cursor over one block, forward and backward. `seek` binary-searches the restart points (whose keys
 * are stored whole), then scans forward; `prev` re-scans from the restart point before the current entry.
 */
export class BlockIterator implements SeekableIterator {
  private block: Block;
  private data: Uint8Array;
  private limit: number;
  /** Offset of the current entry; `limit` when not valid. */
  private current: number;
  /** Offset just past the current entry. */
  private nextOffset = 0;
  /** Index of the restart block holding the current entry. */
  private restartIndex: number;
  /** Offset of restart point `restartIndex + 1` (or `limit` after the last), decoded once per run. */
  private nextRestart = 0;
  private keyBuffer = new Uint8Array(64);
  private currentKeyLength = 0;
  /** `key()`'s view, made once per position. */
  private keyView: Uint8Array | undefined;
  private readonly compareRange: RangeCompare;
  /** See {@link bytewiseTrailerSize}; -1 when the comparator's order is not bytewise-with-trailer. */
  private readonly trailerSize: number;
  /** Bytes the current entry shares with the previous one (its prefix-compression `shared`). */
  private shared = 0;
  private valueStart = 0;
  private valueEnd = 0;

  constructor(block: Block, comparator: Comparator) {
    this.block = block;
    this.data = block.data;
    this.limit = block.restartsOffset;
    this.current = this.limit;
    this.restartIndex = block.numRestarts;
    this.compareRange = rangeCompareFor(comparator);
    this.trailerSize = bytewiseTrailerSize(comparator) ?? -1;
  }

  /**
   * Re-targets this iterator at another block (not positioned afterwards). Point lookups re-use one
   * iterator and its key buffer instead of allocating both per lookup.
   */
  reset(block: Block): void {
    this.block = block;
    this.data = block.data;
    this.limit = block.restartsOffset;
    this.invalidate();
  }

  valid(): boolean {
    return this.current < this.limit;
  }

  key(): Uint8Array {
    if (this.keyView === undefined) this.keyView = this.keyBuffer.subarray(0, this.currentKeyLength);
    return this.keyView;
  }

  value(): Uint8Array {
    return this.data.subarray(this.valueStart, this.valueEnd);
  }

  /**
   * The buffer holding the current key in its first {@link BlockIterator.keyLength} bytes (no view is
   * made). Overwritten by the next move. REQUIRES: `valid()`.
   */
  keyBytes(): Uint8Array {
    return this.keyBuffer;
  }

  /** Length of the current key. REQUIRES: `valid()`. */
  get keyLength(): number {
    return this.currentKeyLength;
  }

  /** The block's bytes, which hold the current value at `[valueOffset, valueLimit)`. */
  get bytes(): Uint8Array {
    return this.data;
  }

  /** Where the current value starts in {@link BlockIterator.bytes}. REQUIRES: `valid()`. */
  get valueOffset(): number {
    return this.valueStart;
  }

  /** Where the current value ends in {@link BlockIterator.bytes}. REQUIRES: `valid()`. */
  get valueLimit(): number {
    return this.valueEnd;
  }

  seekToFirst(): void {
    this.seekToRestart(0);
    this.parseNext();
  }

  seekToLast(): void {
    this.seekToRestart(this.block.numRestarts - 1);
    while (this.parseNext() && this.nextOffset < this.limit) {
      // keep scanning to the last entry
    }
  }

  seek(target: Uint8Array): void {
    // Find the last restart point whose key is < target, then scan forward from it.
    let left = 0;
    let right = this.block.numRestarts - 1;
    while (left < right) {
      const mid = (left + right + 1) >>> 1;
      if (this.compareRestartKey(mid, target) < 0) left = mid;
      else right = mid - 1;
    }
    this.seekToRestart(left);
    if (this.trailerSize >= 0 && target.length >= this.trailerSize) {
      this.scanTo(target, target.length - this.trailerSize);
      return;
    }
    while (this.parseNext()) {
      if (this.compareRange(this.keyBuffer, 0, this.currentKeyLength, target) >= 0) return;
    }
  }

  /**
   * The linear part of `seek` for orders that are bytewise up to a trailer (`targetUser` is the length
   * of the target's part before it). While the entries are below the target, `matched` is where the
   * current key's bytes first differ from the target's (a smaller byte), when that is inside both
   * keys' user parts, else -1. The next entry shares its first `s` bytes with the current key. If
   * `s > matched` it keeps the smaller byte at `matched`, so it is still below the target (the keys
   * being sorted, its user part also reaches past `matched`): no comparison at all. Otherwise its first
   * `s` bytes equal the target's and the comparison starts at `s`; when `s` is the whole common
   * prefix with the current key (as the builder writes it, except at restart points, where it is 0),
   * the first byte compared already differs. Sorted 16-byte keys share most of their bytes, so most
   * entries of a scan cost one or two integer comparisons instead of a key comparison.
   */
  private scanTo(target: Uint8Array, targetUser: number): void {
    const trailer = this.trailerSize;
    let matched = -1;
    while (this.parseNext()) {
      const s = this.shared;
      if (matched >= 0 && s > matched) continue;
      const key = this.keyBuffer;
      const userLength = this.currentKeyLength - trailer;
      const n = userLength < targetUser ? userLength : targetUser;
      let i = matched >= 0 ? s : 0;
      while (i < n && key[i] === target[i]) i++;
      if (i < n) {
        if (key[i] > target[i]) return;
        matched = i;
        continue;
      }
      // One user part is a prefix of the other: lengths and trailers decide, in the full order.
      matched = -1;
      if (this.compareRange(key, 0, this.currentKeyLength, target) >= 0) return;
    }
  }

  next(): void {
    this.parseNext();
  }

  prev(): void {
    const original = this.current;
    while (this.block.restartPoint(this.restartIndex) >= original) {
      if (this.restartIndex === 0) {
        this.invalidate();
        return;
      }
      this.restartIndex--;
    }
    this.seekToRestart(this.restartIndex);
    while (this.parseNext() && this.nextOffset < original) {
      // scan up to the entry just before the original one
    }
  }

  private invalidate(): void {
    this.current = this.limit;
    this.restartIndex = this.block.numRestarts;
    this.currentKeyLength = 0;
    this.keyView = undefined;
  }

  /** Compares the whole key stored at restart point `i` with `target`. */
  private compareRestartKey(i: number, target: Uint8Array): number {
    const data = this.data;
    let pos = this.block.restartPoint(i);
    const shared = readVarint32(data, pos, this.limit);
    pos = varintEnd;
    const unshared = readVarint32(data, pos, this.limit);
    pos = varintEnd;
    readVarint32(data, pos, this.limit);
    pos = varintEnd;
    if (shared !== 0 || pos + unshared > this.limit) throw corruption('bad restart entry in block');
    return this.compareRange(data, pos, pos + unshared, target);
  }

  private seekToRestart(i: number): void {
    this.currentKeyLength = 0;
    this.keyView = undefined;
    this.restartIndex = i;
    this.nextRestart = i + 1 < this.block.numRestarts ? this.block.restartPoint(i + 1) : this.limit;
    this.nextOffset = this.block.restartPoint(i);
  }

  /** Decodes the entry at `nextOffset`; false (and not valid) at the end of the entries. */
  private parseNext(): boolean {
    const data = this.data;
    const limit = this.limit;
    const start = this.nextOffset;
    if (start >= limit) {
      this.invalidate();
      return false;
    }
    let pos = start;
    let shared: number;
    let unshared: number;
    let valueLength: number;
    // Fast path: all three varints fit in one byte each (the common case).
    if (pos + 3 <= limit && (data[pos] | data[pos + 1] | data[pos + 2]) < 0x80) {
      shared = data[pos];
      unshared = data[pos + 1];
      valueLength = data[pos + 2];
      pos += 3;
    } else {
      shared = readVarint32(data, pos, limit);
      unshared = readVarint32(data, varintEnd, limit);
      valueLength = readVarint32(data, varintEnd, limit);
      pos = varintEnd;
    }
    if (shared > this.currentKeyLength || pos + unshared + valueLength > limit) {
      throw corruption('bad entry in block');
    }
    const keyLength = shared + unshared;
    if (keyLength > this.keyBuffer.length) {
      const grown = new Uint8Array(Math.max(keyLength, this.keyBuffer.length * 2));
      grown.set(this.keyBuffer.subarray(0, shared), 0);
      this.keyBuffer = grown;
    }
    if (unshared <= 16) {
      const key = this.keyBuffer;
      for (let i = 0; i < unshared; i++) key[shared + i] = data[pos + i];
    } else {
      this.keyBuffer.set(data.subarray(pos, pos + unshared), shared);
    }
    this.currentKeyLength = keyLength;
    this.shared = shared;
    this.keyView = undefined;
    this.current = start;
    this.valueStart = pos + unshared;
    this.valueEnd = this.valueStart + valueLength;
    this.nextOffset = this.valueEnd;
    const block = this.block;
    while (this.nextRestart <= start && this.restartIndex + 1 < block.numRestarts) {
      this.restartIndex++;
      this.nextRestart =
        this.restartIndex + 1 < block.numRestarts ? block.restartPoint(this.restartIndex + 1) : this.limit;
    }
    return true;
  }
}
