import {
  type Comparator,
  type RandomAccessFile,
  type RangeTombstone,
  type SeekableIterator,
  VelocityError,
  bytewiseComparator,
  corruption,
  fromUtf8,
} from '@velocity/core';
import { Block, type BlockIterator } from './block.js';
import { readBlock } from './block-io.js';
import { codecTable } from './codecs/registry.js';
import {
  type BlockHandle,
  BLOCK_TRAILER_SIZE,
  FILTER_BLOCK_PREFIX,
  FOOTER_SIZE,
  PROPERTIES_BLOCK_NAME,
  decodeBlockHandle,
  decodeFooter,
} from './format.js';
import { decodeProperties } from './properties.js';
import { RANGE_DEL_BLOCK_NAME, decodeRangeDelBlock } from './range-del-block.js';
import { RESIDENT_READ_CHUNK, ResidentBlocks } from './resident-blocks.js';
import { TableIndex } from './table-index.js';
import { TableHit } from './table-hit.js';
import { TableIterator } from './table-iterator.js';
import type { Codec, TableEntry, TableProperties, TableReaderOptions } from './types.js';

const identity = (key: Uint8Array) => key;

/**
 * Reads a table written by `TableBuilder`. Opening reads the footer, the metaindex, the properties, the
 * filter and the index (each block's checksum verified); the index is decoded into a {@link TableIndex}
 * and, like the filter, held for as long as the reader is open. Data blocks are read on demand,
 * verified, and kept in the block cache when one is given (key `${cacheId}:${offset}`, charge =
 * decompressed bytes), or, after {@link TableReader.makeResident}, all held by the reader (see
 * {@link ResidentBlocks}).
 *
 * Errors: `CORRUPTION` for a damaged footer, block or checksum (raised by the read that touches it);
 * `FORMAT_VERSION` for a newer table format; `INVALID_ARGUMENT` when the comparator's name differs from
 * the one recorded in the table; `NOT_SUPPORTED` for a block compressed with an unknown codec.
 *
 * @example
 * ```ts
 * import { utf8 } from '@velocity/core';
 * import { NodeFileSystem } from '@velocity/core/node';
 * import { TableReader } from '@velocity/sstable';
 * const table = TableReader.open(new NodeFileSystem().openReadable('./t.sst')); // written by TableBuilder
 * table.get(utf8('apple'));           // first entry >= 'apple' in its block, if the filter allows
 * const it = table.iterator();
 * for (it.seekToFirst(); it.valid(); it.next()) console.log(it.key(), it.value());
 * ```
 */
export class TableReader {
  /** What the table says about itself. */
  readonly properties: TableProperties;
  private readonly comparator: Comparator;
  private readonly index: TableIndex;
  private readonly filter: Uint8Array | undefined;
  private readonly filterKey: (key: Uint8Array) => Uint8Array;
  private readonly codecs: ReadonlyMap<number, Codec>;
  private readonly dataLimit: number;
  private readonly cachePrefix: string;
  private resident: ResidentBlocks | undefined;
  /** Re-used by {@link TableReader.lookup} (synchronous, so never in use twice at once). */
  private dataSearch: BlockIterator | undefined;
  private readonly hit = new TableHit();
  private closed = false;
  /** The range tombstones (read and verified at open; empty for a table without them). */
  private readonly tombstones: readonly RangeTombstone[];

  private constructor(
    private readonly file: RandomAccessFile,
    private readonly options: TableReaderOptions,
  ) {
    const size = file.size;
    if (size < FOOTER_SIZE) throw corruption('file too short to be a table', file.path);
    const footer = decodeFooter(file.read(size - FOOTER_SIZE, FOOTER_SIZE), file.path);
    this.codecs = codecTable(options.codecs);
    const limit = size - FOOTER_SIZE;
    this.comparator = options.comparator ?? bytewiseComparator;
    this.filterKey = options.filterKey ?? identity;
    this.cachePrefix = `${options.cacheId ?? file.path}:`;

    const meta = new Map<string, BlockHandle>();
    const metaIt = new Block(readBlock(file, footer.metaindex, limit, this.codecs)).iterator(
      bytewiseComparator,
    );
    for (metaIt.seekToFirst(); metaIt.valid(); metaIt.next())
      meta.set(fromUtf8(metaIt.key()), decodeBlockHandle(metaIt.value()));
    const propertiesHandle = meta.get(PROPERTIES_BLOCK_NAME);
    if (propertiesHandle === undefined) throw corruption('table has no properties block', file.path);
    const stored = decodeProperties(readBlock(file, propertiesHandle, limit, this.codecs));
    if (stored.comparatorName !== this.comparator.name) {
      throw new VelocityError(
        'INVALID_ARGUMENT',
        `table was written with comparator '${stored.comparatorName}', opened with '${this.comparator.name}'`,
        { path: file.path },
      );
    }
    this.index = new TableIndex(
      new Block(readBlock(file, footer.index, limit, this.codecs)),
      this.comparator,
    );
    this.properties = { ...stored, indexBytes: footer.index.size + BLOCK_TRAILER_SIZE, fileSize: size };
    const policy = options.filterPolicy;
    const filterHandle = policy === undefined ? undefined : meta.get(FILTER_BLOCK_PREFIX + policy.name);
    this.filter = filterHandle === undefined ? undefined : readBlock(file, filterHandle, limit, this.codecs);
    const rangeDelHandle = meta.get(RANGE_DEL_BLOCK_NAME);
    this.tombstones =
      rangeDelHandle === undefined
        ? []
        : decodeRangeDelBlock(readBlock(file, rangeDelHandle, limit, this.codecs), file.path);
    if (this.tombstones.length > 0 && footer.version < 3)
      throw corruption(`range-deletion block in a table of format version ${footer.version}`, file.path);
    // Data blocks fill the file from offset 0 up to the first meta block.
    let firstMeta = Math.min(footer.metaindex.offset, footer.index.offset);
    for (const handle of meta.values()) firstMeta = Math.min(firstMeta, handle.offset);
    if (stored.dataBytes > firstMeta) throw corruption('data blocks overlap the meta blocks', file.path);
    this.dataLimit = stored.dataBytes;
  }

  /** Opens a table; see the class comment for errors. The reader owns `file` and closes it. */
  static open(file: RandomAccessFile, options: TableReaderOptions = {}): TableReader {
    try {
      return new TableReader(file, options);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new VelocityError('CLOSED', `table is closed: ${this.file.path}`);
  }

  /**
   * Reads all data blocks into memory, verifies them all and decodes their entries into flat arrays
   * (see {@link ResidentBlocks}); from then on lookups and iterators answer from there instead of the
   * file and the block cache. A block that fails verification does not fail this call: it raises its
   * `CORRUPTION` on every use. Costs {@link TableReader.residentBytes} of memory until the reader is
   * closed (or {@link TableReader.dropResident}), and drops this table's blocks from the block cache.
   * No-op when already resident.
   */
  makeResident(): void {
    this.makeResidentInSteps()(() => false);
  }

  /**
   * {@link TableReader.makeResident} in steps, for callers that must not hold their thread for the
   * whole table (a few milliseconds per 2 MiB): each call of the returned function reads (through a
   * re-used read buffer, `readChunkBytes` at a time, 1 MiB by default, or a whole block when that is
   * larger), verifies and decodes blocks until its `expired()` turns true, and returns true once the table is
   * resident (at once, from then on, or if it became resident otherwise meanwhile). Lookups use the
   * file and the block cache until then. A step throws `CLOSED` once the reader is closed, and
   * `CORRUPTION` when the file is shorter than its data region.
   */
  makeResidentInSteps(readChunkBytes = RESIDENT_READ_CHUNK): (expired: () => boolean) => boolean {
    this.checkOpen();
    if (this.resident !== undefined) return () => true;
    const loading = new ResidentBlocks(
      this.file,
      this.index,
      this.dataLimit,
      this.codecs,
      this.comparator,
      this.properties,
      readChunkBytes,
    );
    return (expired) => {
      if (this.resident !== undefined) return true;
      this.checkOpen();
      if (!loading.loadSome(expired)) return false;
      this.resident = loading;
      // The resident copy serves every block from now on: what the cache holds of them is dead weight
      // (and, with a block pool, memory the next misses of other tables can re-use).
      const cache = this.options.blockCache;
      if (cache !== undefined) {
        for (let i = 0; i < this.index.length; i++) cache.delete(this.cachePrefix + this.index.offsets[i]);
      }
      return true;
    };
  }

  /**
   * Drops the resident blocks (lookups and new iterators read through the file and the block cache
   * again; iterators already open keep what they hold until they move off it). No-op when not resident.
   */
  dropResident(): void {
    this.resident = undefined;
  }

  /** True after {@link TableReader.makeResident} (until {@link TableReader.dropResident}). */
  get isResident(): boolean {
    return this.resident !== undefined;
  }

  /**
   * Bytes that {@link TableReader.makeResident} holds, exactly (from the table's properties, whether
   * resident yet or not): the keys whole and the values (uncompressed) back to back, 8 bytes per entry
   * and 4 per block of positions, and, for comparators in byte order up to a trailer, the hash index of
   * point lookups (8 bytes per slot, about 11 per entry). The data blocks themselves are not kept.
   * While loading it also holds a read buffer of 1 MiB, given back at the end.
   */
  get residentBytes(): number {
    return ResidentBlocks.bytesFor(this.properties, this.index.length, this.comparator);
  }

  /** Bytes held for as long as the reader is open whatever else happens: the decoded index and the filter. */
  get pinnedBytes(): number {
    return this.index.byteSize + (this.filter?.byteLength ?? 0);
  }

  /**
   * An iterator over data block `i`: over its flat entries when the table is resident (it keeps them
   * after {@link TableReader.dropResident}), else over the block from the cache or the file.
   */
  private blockIterator(i: number): SeekableIterator {
    const resident = this.resident;
    if (resident !== undefined) return resident.iterator(i);
    return this.dataBlock(i, true).iterator(this.comparator);
  }

  /**
   * Data block `i` of a table that is not resident: from the cache, or read from the file (and
   * cached). With `kept`, the caller keeps the block beyond this call (an iterator), so its memory is
   * lent out of the block pool: it is never recycled while anyone may still read it.
   */
  private dataBlock(i: number, kept: boolean): Block {
    const handle: BlockHandle = { offset: this.index.offsets[i], size: this.index.sizes[i] };
    const cache = this.options.blockCache;
    if (cache === undefined) return new Block(readBlock(this.file, handle, this.dataLimit, this.codecs));
    const pool = this.options.blockPool;
    const key = this.cachePrefix + handle.offset;
    let contents = cache.get(key);
    if (contents === undefined) {
      contents = readBlock(this.file, handle, this.dataLimit, this.codecs, pool);
      if (kept) pool?.lend(contents);
      cache.set(key, contents, contents.length);
    } else if (kept) {
      pool?.lend(contents);
    }
    return new Block(contents);
  }

  /**
   * Finds the first entry with key >= `target` in the one data block that could hold `target`, and
   * returns where it is as the reader's one re-used {@link TableHit}; undefined when the filter rules
   * out `filterKey(target)` or that block has no such entry. The hit is valid until the next call on
   * this reader or on any reader sharing its block cache and block pool (a later miss may re-use the
   * memory of the block it points into): copy what you keep. With a resident table this allocates
   * nothing.
   */
  lookup(target: Uint8Array): TableHit | undefined {
    this.checkOpen();
    if (
      this.filter !== undefined &&
      !this.options.filterPolicy?.keyMayMatch(this.filterKey(target), this.filter)
    ) {
      return undefined;
    }
    const i = this.index.find(target);
    if (i >= this.index.length) return undefined;
    const hit = this.hit;
    const resident = this.resident;
    if (resident !== undefined) return resident.find(i, target, hit) ? hit : undefined;
    const block = this.dataBlock(i, false);
    let it = this.dataSearch;
    if (it === undefined) {
      it = block.iterator(this.comparator);
      this.dataSearch = it;
    } else {
      it.reset(block);
    }
    it.seek(target);
    if (!it.valid()) return undefined;
    hit.keys = it.keyBytes();
    hit.keyStart = 0;
    hit.keyEnd = it.keyLength;
    hit.values = it.bytes;
    hit.valueStart = it.valueOffset;
    hit.valueEnd = it.valueLimit;
    return hit;
  }

  /**
   * {@link TableReader.lookup} for a point lookup, which only wants an entry with `target`'s user key:
   * the same answer, except that it may be undefined where `lookup` would return another user key's
   * entry. A resident table under a comparator in byte order up to a trailer answers from its hash
   * index (one probe: no filter, no binary search); other tables answer as `lookup` does.
   */
  lookupPoint(target: Uint8Array): TableHit | undefined {
    const resident = this.resident;
    if (resident === undefined || !resident.hasKeyHash) return this.lookup(target);
    this.checkOpen();
    return resident.findPoint(target, this.hit) ? this.hit : undefined;
  }

  /**
   * The first entry with key >= `target` in the one data block that could hold `target`, or undefined
   * when the filter rules out `filterKey(target)` or that block has no such entry. Callers check that
   * the returned key is the one they wanted. The key is a copy; the value a view of the block.
   */
  get(target: Uint8Array): TableEntry | undefined {
    const hit = this.lookup(target);
    if (hit === undefined) return undefined;
    // The value is a view the caller keeps: its block must never be recycled.
    this.options.blockPool?.lend(hit.values);
    return { key: hit.key().slice(), value: hit.value() };
  }

  /**
   * The table's range tombstones (user keys, `end` exclusive), as written by
   * `TableBuilder.addRangeTombstone`; empty for a table without a range-deletion block. Read and
   * checksum-verified when the table was opened.
   */
  rangeTombstones(): readonly RangeTombstone[] {
    return this.tombstones;
  }

  /** An iterator over the whole table, forward and backward. */
  iterator(): SeekableIterator {
    this.checkOpen();
    return new TableIterator(this.index, (i) => this.blockIterator(i));
  }

  /**
   * The data blocks in order, each with a lazy `entries()` that reads, verifies and decodes that block
   * alone. For tools that salvage or inspect a damaged table block by block (a `CORRUPTION` from one
   * block's `entries()` does not stop the others).
   */
  *dataBlocks(): Generator<{
    /** Offset of the block's first byte in the file. */
    offset: number;
    /** Bytes of the block as stored (without its trailer). */
    size: number;
    /** Reads, verifies and decodes this block's entries. */
    entries(): Generator<TableEntry>;
  }> {
    this.checkOpen();
    for (let i = 0; i < this.index.length; i++) {
      const load = () => this.blockIterator(i);
      yield {
        offset: this.index.offsets[i],
        size: this.index.sizes[i],
        *entries() {
          const it = load();
          for (it.seekToFirst(); it.valid(); it.next()) yield { key: it.key(), value: it.value() };
        },
      };
    }
  }

  /** About where in the file `key`'s data would be (the offset of its data block, or the data's end). */
  approximateOffsetOf(key: Uint8Array): number {
    const i = this.index.find(key);
    return i < this.index.length ? this.index.offsets[i] : this.dataLimit;
  }

  /** Closes the file. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.resident = undefined;
    this.dataSearch = undefined;
    this.file.close();
  }
}
