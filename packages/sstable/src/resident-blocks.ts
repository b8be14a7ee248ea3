import { type Comparator, type RandomAccessFile, type SeekableIterator, corruption } from '@velocity/core';
import { checkBlock } from './block-io.js';
import { BLOCK_TRAILER_SIZE } from './format.js';
import { FlatEntries } from './flat-entries.js';
import { FlatIterator } from './flat-iterator.js';
import { KeyHashIndex, MAX_HASHED_ENTRIES } from './key-hash-index.js';
import { searchKeys } from './key-search.js';
import { type RangeCompare, bytewiseTrailerSize, rangeCompareFor } from './range-compare.js';
import type { TableHit } from './table-hit.js';
import type { TableIndex } from './table-index.js';
import type { Codec, TableProperties } from './types.js';

/** Bytes of the data region read at a time while loading. */
export const RESIDENT_READ_CHUNK = 1 << 20;

/**
 * A table's data held in memory as {@link FlatEntries} (each key whole beside its value, in one buffer)
 * and nothing else: the data region is read in pieces of 1 MiB into a read buffer that is re-used from
 * piece to piece (a block that spans two pieces is moved to the front of the buffer and completed by
 * the next read) and dropped once every block was read; every block is verified once, right then
 * (checksum, decompression, entry layout), and decoded. The blocks themselves, with their prefix
 * compression, restart arrays and trailers, are not kept: a table's keys are held once, not twice.
 *
 * From then on a point lookup is two binary searches over flat arrays (the index, then the block's
 * entries) with no read, no checksum, no cache and no allocation, or, for comparators in byte order up
 * to a trailer, one probe of a {@link KeyHashIndex}; iterators walk the flat entries of each block
 * ({@link FlatIterator}) without a read or a checksum.
 *
 * Verifying at load rather than on first use is deliberate: a random read of a fresh table touches a
 * new block almost every time, and one tight pass over the table costs less than 28k separate first
 * uses (measured in apps/bench: lazy verification ran the first second of readrandom at 25k gets/s).
 * A block that fails keeps its error and throws `CORRUPTION` on every use, from lookups and iterators
 * alike, as reading it from the file would; the other blocks stay readable.
 */
export class ResidentBlocks {
  private readonly errors = new Map<number, Error>();
  private readonly flat: FlatEntries;
  private readonly trailer: number;
  private readonly compareRange: RangeCompare;
  /** The user-key hash index; undefined for other orders and when any block failed verification. */
  private keyHash: KeyHashIndex | undefined;

  /** The next block {@link ResidentBlocks.loadSome} verifies and decodes. */
  private next = 0;
  /** True once every block was loaded and the hash index built. */
  private done = false;
  /** The read buffer while blocks are being read: file bytes `[bufferStart, bufferEnd)` at its start. */
  private buffer: Uint8Array | undefined;
  private bufferStart = 0;
  private bufferEnd = 0;
  /** The hash index while it is being built, after the last block. */
  private building: KeyHashIndex | undefined;

  /**
   * Will hold the data of `[0, dataLimit)` of `file`, read, verified and decoded in steps by
   * {@link ResidentBlocks.loadSome}; nothing may be looked up before that is done. The flat arrays are
   * allocated now, sized from `properties`.
   */
  constructor(
    private readonly file: RandomAccessFile,
    private readonly index: TableIndex,
    private readonly dataLimit: number,
    private readonly codecs: ReadonlyMap<number, Codec>,
    comparator: Comparator,
    properties: TableProperties,
    /** Bytes read at a time. */
    private readonly readChunk = RESIDENT_READ_CHUNK,
  ) {
    this.flat = new FlatEntries(
      properties.entries,
      properties.rawKeyBytes,
      properties.rawValueBytes,
      index.length,
    );
    this.trailer = bytewiseTrailerSize(comparator) ?? -1;
    this.compareRange = rangeCompareFor(comparator);
  }

  /**
   * Bytes a table with `properties` and `blocks` data blocks holds once resident under `comparator`:
   * its flat entries and, for comparators in byte order up to a trailer, its hash index.
   */
  static bytesFor(properties: TableProperties, blocks: number, comparator: Comparator): number {
    const p = properties;
    const flat = FlatEntries.bytesFor(p.entries, p.rawKeyBytes, p.rawValueBytes, blocks);
    const hashed = bytewiseTrailerSize(comparator) !== undefined && p.entries <= MAX_HASHED_ENTRIES;
    return flat + (hashed ? KeyHashIndex.bytesFor(p.entries) : 0);
  }

  /** Bytes of the arrays held now (after loading: those of {@link ResidentBlocks.bytesFor}). */
  get byteSize(): number {
    return this.flat.byteSize + (this.keyHash?.byteSize ?? 0);
  }

  /**
   * Reads, verifies and decodes blocks in order until `expired()` turns true (checked after each
   * block) or every block is done, then builds the hash index (in steps too). Returns true once
   * everything is done. A block that fails keeps its error for its lookups; it does not fail this call.
   * Throws `CORRUPTION` when the file is shorter than its data region (and again on the next call).
   */
  loadSome(expired: () => boolean): boolean {
    const index = this.index;
    const n = index.length;
    while (this.next < n) {
      const i = this.next;
      const offset = index.offsets[i];
      const size = index.sizes[i];
      // The block's bytes, then its trailer (type and checksum).
      const end = offset + size + BLOCK_TRAILER_SIZE;
      if (end > this.dataLimit) {
        this.next++;
        this.errors.set(i, corruption('block handle points past its region', this.file.path));
        this.flat.skipBlock(i);
      } else {
        const buffer = this.hold(offset, end);
        this.next++;
        try {
          const contents = checkBlock(
            buffer,
            offset - this.bufferStart,
            size,
            offset,
            this.codecs,
            this.file.path,
          );
          this.flat.addBlock(i, contents, 0, contents.length);
        } catch (error) {
          this.errors.set(i, error as Error);
          this.flat.skipBlock(i);
        }
      }
      if (this.next < n && expired()) return false;
    }
    this.buffer = undefined;
    if (this.done) return true;
    // A block that failed keeps its keys out of the flat arrays; only the searches raise its error.
    if (this.trailer >= 0 && this.errors.size === 0 && this.flat.count <= MAX_HASHED_ENTRIES) {
      if (this.building === undefined) {
        const flat = this.flat;
        this.building = new KeyHashIndex(flat.bytes, flat.starts, flat.count, this.trailer, true);
      }
      if (!this.building.addSome(expired)) return false;
      this.keyHash = this.building;
      this.building = undefined;
    }
    this.done = true;
    return true;
  }

  /**
   * The read buffer, holding file bytes `[offset, end)` from `offset - bufferStart`: what it holds of
   * them already is kept (moved to its front), the rest read, `readChunk` bytes of the file from
   * `offset` at least. Grows the buffer for a block larger than that.
   */
  private hold(offset: number, end: number): Uint8Array {
    let buffer = this.buffer;
    if (buffer !== undefined && offset >= this.bufferStart && end <= this.bufferEnd) return buffer;
    const to = Math.min(this.dataLimit, Math.max(end, offset + this.readChunk));
    if (buffer === undefined || buffer.length < to - offset) {
      const grown = new Uint8Array(Math.max(to - offset, buffer === undefined ? 0 : buffer.length));
      if (buffer !== undefined && offset >= this.bufferStart && offset < this.bufferEnd) {
        grown.set(buffer.subarray(offset - this.bufferStart, this.bufferEnd - this.bufferStart));
      }
      buffer = grown;
      this.buffer = grown;
    } else if (offset >= this.bufferStart && offset < this.bufferEnd) {
      buffer.copyWithin(0, offset - this.bufferStart, this.bufferEnd - this.bufferStart);
    }
    // What the buffer holds from `offset` on (nothing when `offset` is outside it).
    const kept = offset >= this.bufferStart && offset < this.bufferEnd ? this.bufferEnd - offset : 0;
    this.bufferStart = offset;
    this.bufferEnd = offset + kept;
    this.read(buffer.subarray(kept, to - offset), this.bufferEnd);
    this.bufferEnd = to;
    return buffer;
  }

  /** Fills `target` with the file's bytes from `position` (`CORRUPTION` if the file has fewer). */
  private read(target: Uint8Array, position: number): void {
    const file = this.file;
    let got: number;
    if (file.readInto !== undefined) {
      got = file.readInto(position, target);
    } else {
      const bytes = file.read(position, target.length);
      got = bytes.length;
      if (got === target.length) target.set(bytes);
    }
    if (got !== target.length) {
      // The buffer's contents are no longer what it says; the next call starts afresh.
      this.bufferEnd = this.bufferStart;
      throw corruption('truncated table data', file.path);
    }
  }

  /** True when {@link ResidentBlocks.findPoint} answers from the hash index. */
  get hasKeyHash(): boolean {
    return this.keyHash !== undefined;
  }

  /** An iterator over data block `i` (throws its `CORRUPTION` if it failed verification). */
  iterator(i: number): SeekableIterator {
    const error = this.errors.get(i);
    if (error !== undefined) throw error;
    const first = this.flat.firstEntry;
    return new FlatIterator(this.flat, first[i], first[i + 1], this.trailer, this.compareRange);
  }

  /**
   * Fills `hit` with the first entry >= `target` in block `i` and returns true, or returns false when
   * the block has none. Throws the block's `CORRUPTION` if it failed verification.
   */
  find(i: number, target: Uint8Array, hit: TableHit): boolean {
    const flat = this.flat;
    const to = flat.firstEntry[i + 1];
    const from = flat.firstEntry[i];
    if (from === to && this.errors.size > 0) {
      const error = this.errors.get(i);
      if (error !== undefined) throw error;
    }
    const e = searchKeys(flat.bytes, flat.starts, from, to, target, this.trailer, this.compareRange, 2);
    if (e >= to) return false;
    this.fill(e, hit);
    return true;
  }

  /** Fills `hit` with flat entry `e`. */
  private fill(e: number, hit: TableHit): void {
    const { bytes, starts } = this.flat;
    const valueStart = starts[2 * e + 1];
    hit.keys = bytes;
    hit.keyStart = starts[2 * e];
    hit.keyEnd = valueStart;
    hit.values = bytes;
    hit.valueStart = valueStart;
    hit.valueEnd = starts[2 * e + 2];
  }

  /**
   * For a point lookup with a {@link KeyHashIndex}: fills `hit` with the first entry >= `target` and
   * returns true when that entry has `target`'s user key; returns false when the table holds no entry
   * of that user key at or after `target` (then the first entry >= `target`, if any, is another key's).
   * Only when {@link ResidentBlocks.hasKeyHash}.
   */
  findPoint(target: Uint8Array, hit: TableHit): boolean {
    const keyHash = this.keyHash as KeyHashIndex;
    const trailer = this.trailer;
    if (target.length < trailer) return this.findAnywhere(target, hit);
    let e = keyHash.find(target);
    if (e < 0) return false;
    const flat = this.flat;
    const keys = flat.bytes;
    const starts = flat.starts;
    const userLength = target.length - trailer;
    const count = flat.count;
    for (; e < count; e++) {
      const start = starts[2 * e];
      const end = starts[2 * e + 1];
      if (end - trailer - start !== userLength) return false;
      let i = 0;
      while (i < userLength && keys[start + i] === target[i]) i++;
      if (i < userLength) return false;
      if (this.compareRange(keys, start, end, target) >= 0) {
        this.fill(e, hit);
        return true;
      }
    }
    return false;
  }

  /** {@link ResidentBlocks.find} in the block the index picks for `target` (keys shorter than a trailer). */
  private findAnywhere(target: Uint8Array, hit: TableHit): boolean {
    const i = this.index.find(target);
    return i < this.index.length && this.find(i, target, hit);
  }
}
