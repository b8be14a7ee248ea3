import { type Comparator, type RandomAccessFile, corruption } from '@velocity/core';
import { Block } from './block.js';
import { checkBlock } from './block-io.js';
import { BLOCK_TRAILER_SIZE } from './format.js';
import { FlatEntries } from './flat-entries.js';
import { KeyHashIndex } from './key-hash-index.js';
import { searchKeys } from './key-search.js';
import { type RangeCompare, bytewiseTrailerSize, rangeCompareFor } from './range-compare.js';
import type { TableHit } from './table-hit.js';
import type { TableIndex } from './table-index.js';
import type { Codec, TableProperties } from './types.js';

/** Bytes of the data region read at a time while loading, where the file can read into memory. */
export const RESIDENT_READ_CHUNK = 1 << 20;

/**
 * A table's data blocks held in memory: the whole data region read (in 1 MiB reads spread over the
 * loading steps, where the file has `readInto`) and every block verified once, right then (checksum,
 * decompression, entry layout), in one pass that also decodes
 * every entry into {@link FlatEntries}. From then on a point lookup is two binary searches over flat
 * arrays (the index, then the block's entries) with no read, no checksum, no cache and no allocation,
 * or, for comparators in byte order up to a trailer, one probe of a {@link KeyHashIndex}; iterators get
 * their blocks without a read or a checksum.
 *
 * Verifying at load rather than on first use is deliberate: a random read of a fresh table touches a
 * new block almost every time, and one tight pass over the table costs less than 28k separate first
 * uses (measured in apps/bench: lazy verification ran the first second of readrandom at 25k gets/s).
 * A block that fails keeps its error and throws `CORRUPTION` on every use, from lookups and iterators
 * alike, as reading it from the file would; the other blocks stay readable.
 */
export class ResidentBlocks {
  private readonly bytes: Uint8Array;
  /** Per block: the bytes its contents and values are in (`bytes`, or its decompressed copy). */
  private readonly sources: Uint8Array[];
  private readonly blocks: (Block | undefined)[];
  private readonly errors = new Map<number, Error>();
  private readonly flat: FlatEntries;
  private readonly trailer: number;
  private readonly compareRange: RangeCompare;
  /** The user-key hash index; undefined for other orders and when any block failed verification. */
  private keyHash: KeyHashIndex | undefined;
  /** True when every block's values are in `bytes` (no block was compressed). */
  private allInBytes = true;

  /** The next block {@link ResidentBlocks.loadSome} verifies and decodes. */
  private next = 0;
  /** True once every block was loaded and the hash index built. */
  private done = false;
  /** Bytes of the data region read so far (`[0, readTo)` of `bytes` hold the file's bytes). */
  private readTo = 0;
  /** The hash index while it is being built, after the last block. */
  private building: KeyHashIndex | undefined;

  /**
   * Holds `[0, dataLimit)` of `file` (`CORRUPTION` if the file is shorter): read now in one call, or,
   * when the file has `readInto`, in steps by {@link ResidentBlocks.loadSome}, which also verifies and
   * decodes the blocks; nothing may be looked up before that is done.
   */
  constructor(
    private readonly file: RandomAccessFile,
    private readonly index: TableIndex,
    dataLimit: number,
    private readonly codecs: ReadonlyMap<number, Codec>,
    comparator: Comparator,
    properties: TableProperties,
    /** Bytes read at a time (where the file has `readInto`). */
    private readonly readChunk = RESIDENT_READ_CHUNK,
  ) {
    let bytes: Uint8Array;
    if (file.readInto !== undefined) {
      bytes = new Uint8Array(dataLimit);
    } else {
      bytes = file.read(0, dataLimit);
      if (bytes.length !== dataLimit) throw corruption('truncated table data', file.path);
      this.readTo = dataLimit;
    }
    this.bytes = bytes;
    const n = index.length;
    this.sources = new Array(n).fill(bytes);
    this.blocks = new Array(n).fill(undefined);
    this.flat = new FlatEntries(properties.entries, properties.rawKeyBytes, n);
    this.trailer = bytewiseTrailerSize(comparator) ?? -1;
    this.compareRange = rangeCompareFor(comparator);
  }

  /**
   * Reads, verifies and decodes blocks in order until `expired()` turns true (checked after each
   * block) or every block is done, then builds the hash index (in steps too). Returns true once
   * everything is done. A block that fails keeps its error for its lookups; it does not fail this call.
   * Throws `CORRUPTION` when the file is shorter than its data region.
   */
  loadSome(expired: () => boolean): boolean {
    const index = this.index;
    const bytes = this.bytes;
    const n = index.length;
    while (this.next < n) {
      const i = this.next;
      const offset = index.offsets[i];
      const size = index.sizes[i];
      // The block's bytes, then its trailer (type and checksum).
      if (offset + size + BLOCK_TRAILER_SIZE > this.readTo)
        this.readAhead(offset + size + BLOCK_TRAILER_SIZE);
      this.next++;
      try {
        const contents = checkBlock(bytes, offset, size, offset, this.codecs, this.file.path);
        if (contents.buffer === bytes.buffer) {
          this.flat.addBlock(i, bytes, offset, offset + size);
        } else {
          this.sources[i] = contents;
          this.flat.addBlock(i, contents, 0, contents.length);
        }
      } catch (error) {
        this.errors.set(i, error as Error);
        this.flat.skipBlock(i);
      }
      if (this.next < n && expired()) return false;
    }
    if (this.done) return true;
    // A block that failed keeps its keys out of the flat arrays; only the searches raise its error.
    if (this.trailer >= 0 && this.errors.size === 0) {
      if (this.building === undefined) {
        const flat = this.flat;
        this.building = new KeyHashIndex(flat.keys, flat.keyStart, flat.count, this.trailer, true);
      }
      if (!this.building.addSome(expired)) return false;
      this.keyHash = this.building;
      this.building = undefined;
    }
    this.done = true;
    this.allInBytes = this.sources.every((source) => source === bytes);
    return true;
  }

  /** Reads the data region on from `readTo`, `readChunk` bytes at a time and up to `end` at least. */
  private readAhead(end: number): void {
    const bytes = this.bytes;
    const to = Math.min(bytes.length, Math.max(end, this.readTo + this.readChunk));
    const read = (this.file.readInto as (offset: number, target: Uint8Array) => number).call(
      this.file,
      this.readTo,
      bytes.subarray(this.readTo, to),
    );
    if (read !== to - this.readTo) throw corruption('truncated table data', this.file.path);
    this.readTo = to;
  }

  /** True when {@link ResidentBlocks.findPoint} answers from the hash index. */
  get hasKeyHash(): boolean {
    return this.keyHash !== undefined;
  }

  /** Data block `i` for iterators (throws its `CORRUPTION` if it failed verification). */
  block(i: number): Block {
    const held = this.blocks[i];
    if (held !== undefined) return held;
    const error = this.errors.get(i);
    if (error !== undefined) throw error;
    const source = this.sources[i];
    const offset = this.index.offsets[i];
    const block = new Block(
      source === this.bytes ? source.subarray(offset, offset + this.index.sizes[i]) : source,
    );
    this.blocks[i] = block;
    return block;
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
    const e = searchKeys(flat.keys, flat.keyStart, from, to, target, this.trailer, this.compareRange);
    if (e >= to) return false;
    hit.keys = flat.keys;
    hit.keyStart = flat.keyStart[e];
    hit.keyEnd = flat.keyStart[e + 1];
    hit.values = this.sources[i];
    hit.valueStart = flat.valueRange[2 * e];
    hit.valueEnd = flat.valueRange[2 * e + 1];
    return true;
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
    const keys = flat.keys;
    const keyStart = flat.keyStart;
    const userLength = target.length - trailer;
    const count = flat.count;
    for (; e < count; e++) {
      const start = keyStart[e];
      const end = keyStart[e + 1];
      if (end - trailer - start !== userLength) return false;
      let i = 0;
      while (i < userLength && keys[start + i] === target[i]) i++;
      if (i < userLength) return false;
      if (this.compareRange(keys, start, end, target) >= 0) {
        hit.keys = keys;
        hit.keyStart = start;
        hit.keyEnd = end;
        hit.values = this.allInBytes ? this.bytes : this.sources[this.blockOf(e)];
        hit.valueStart = flat.valueRange[2 * e];
        hit.valueEnd = flat.valueRange[2 * e + 1];
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

  /** The block holding flat entry `e`. */
  private blockOf(e: number): number {
    const first = this.flat.firstEntry;
    let lo = 0;
    let hi = first.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (first[mid] <= e) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
