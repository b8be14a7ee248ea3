import { type Comparator, type RandomAccessFile, corruption } from '@velocity/core';
import { Block } from './block.js';
import { checkBlock } from './block-io.js';
import { FlatEntries } from './flat-entries.js';
import { searchKeys } from './key-search.js';
import { type RangeCompare, bytewiseTrailerSize, rangeCompareFor } from './range-compare.js';
import type { TableHit } from './table-hit.js';
import type { TableIndex } from './table-index.js';
import type { Codec, TableProperties } from './types.js';

/**
 * A table's data blocks held in memory: the whole data region read with one call and every block
 * verified once, right then (checksum, decompression, entry layout), in one pass that also decodes
 * every entry into {@link FlatEntries}. From then on a point lookup is two binary searches over flat
 * arrays (the index, then the block's entries) with no read, no checksum, no cache and no allocation,
 * and iterators get their blocks without a read or a checksum.
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

  /** Reads `[0, dataLimit)` of `file` and verifies every block; `CORRUPTION` if the file is shorter. */
  constructor(
    file: RandomAccessFile,
    private readonly index: TableIndex,
    dataLimit: number,
    codecs: ReadonlyMap<number, Codec>,
    comparator: Comparator,
    properties: TableProperties,
  ) {
    const bytes = file.read(0, dataLimit);
    if (bytes.length !== dataLimit) throw corruption('truncated table data', file.path);
    this.bytes = bytes;
    const n = index.length;
    this.sources = new Array(n).fill(bytes);
    this.blocks = new Array(n).fill(undefined);
    this.flat = new FlatEntries(properties.entries, properties.rawKeyBytes, n);
    this.trailer = bytewiseTrailerSize(comparator) ?? -1;
    this.compareRange = rangeCompareFor(comparator);
    for (let i = 0; i < n; i++) {
      const offset = index.offsets[i];
      const size = index.sizes[i];
      try {
        const contents = checkBlock(bytes, offset, size, offset, codecs, file.path);
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
    }
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
    hit.valueStart = flat.valueStart[e];
    hit.valueEnd = flat.valueEnd[e];
    return true;
  }
}
