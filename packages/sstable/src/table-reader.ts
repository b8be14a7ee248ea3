import {
  type Comparator,
  type RandomAccessFile,
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
import { TwoLevelIterator } from './two-level-iterator.js';
import type { Codec, TableEntry, TableProperties, TableReaderOptions } from './types.js';

const identity = (key: Uint8Array) => key;

/**
 * Reads a table written by `TableBuilder`. Opening reads the footer, the metaindex, the properties, the
 * filter and the index (each block's checksum verified); data blocks are read on demand, verified, and
 * kept in the block cache when one is given (key `${cacheId}:${offset}`, charge = decompressed bytes).
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
  private readonly index: Block;
  private readonly filter: Uint8Array | undefined;
  private readonly filterKey: (key: Uint8Array) => Uint8Array;
  private readonly codecs: ReadonlyMap<number, Codec>;
  private readonly dataLimit: number;
  private readonly cachePrefix: string;
  /** Re-used by {@link TableReader.get} (synchronous, so never in use twice at once). */
  private readonly indexSearch: BlockIterator;
  private dataSearch: BlockIterator | undefined;
  private closed = false;

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
    this.index = new Block(readBlock(file, footer.index, limit, this.codecs));
    this.indexSearch = this.index.iterator(this.comparator);
    this.properties = { ...stored, indexBytes: footer.index.size + BLOCK_TRAILER_SIZE, fileSize: size };
    const policy = options.filterPolicy;
    const filterHandle = policy === undefined ? undefined : meta.get(FILTER_BLOCK_PREFIX + policy.name);
    this.filter = filterHandle === undefined ? undefined : readBlock(file, filterHandle, limit, this.codecs);
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

  /** The data block at `handle` (from the cache when possible). */
  private dataBlock(handle: BlockHandle): Block {
    const cache = this.options.blockCache;
    if (cache === undefined) return new Block(readBlock(this.file, handle, this.dataLimit, this.codecs));
    const key = this.cachePrefix + handle.offset;
    let contents = cache.get(key);
    if (contents === undefined) {
      contents = readBlock(this.file, handle, this.dataLimit, this.codecs);
      cache.set(key, contents, contents.length);
    }
    return new Block(contents);
  }

  /**
   * The first entry with key >= `target` in the one data block that could hold `target`, or undefined
   * when the filter rules out `filterKey(target)` or that block has no such entry. Callers check that
   * the returned key is the one they wanted.
   */
  get(target: Uint8Array): TableEntry | undefined {
    this.checkOpen();
    if (
      this.filter !== undefined &&
      !this.options.filterPolicy?.keyMayMatch(this.filterKey(target), this.filter)
    ) {
      return undefined;
    }
    const indexIt = this.indexSearch;
    indexIt.seek(target);
    if (!indexIt.valid()) return undefined;
    const block = this.dataBlock(decodeBlockHandle(indexIt.value()));
    let it = this.dataSearch;
    if (it === undefined) {
      it = block.iterator(this.comparator);
      this.dataSearch = it;
    } else {
      it.reset(block);
    }
    it.seek(target);
    // The key is copied out of the re-used iterator's buffer; the value is a view of the immutable block.
    return it.valid() ? { key: it.key().slice(), value: it.value() } : undefined;
  }

  /** An iterator over the whole table, forward and backward. */
  iterator(): SeekableIterator {
    this.checkOpen();
    return new TwoLevelIterator(this.index.iterator(this.comparator), (handle) =>
      this.dataBlock(decodeBlockHandle(handle)).iterator(this.comparator),
    );
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
    const indexIt = this.index.iterator(this.comparator);
    for (indexIt.seekToFirst(); indexIt.valid(); indexIt.next()) {
      const handle = decodeBlockHandle(indexIt.value());
      const comparator = this.comparator;
      const load = () => this.dataBlock(handle);
      yield {
        offset: handle.offset,
        size: handle.size,
        *entries() {
          const it = load().iterator(comparator);
          for (it.seekToFirst(); it.valid(); it.next()) yield { key: it.key(), value: it.value() };
        },
      };
    }
  }

  /** About where in the file `key`'s data would be (the offset of its data block, or the data's end). */
  approximateOffsetOf(key: Uint8Array): number {
    const indexIt = this.indexSearch;
    indexIt.seek(key);
    return indexIt.valid() ? decodeBlockHandle(indexIt.value()).offset : this.dataLimit;
  }

  /** Closes the file. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.file.close();
  }
}
