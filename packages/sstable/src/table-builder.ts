import {
  type Comparator,
  EMPTY_BYTES,
  type RangeTombstone,
  VelocityError,
  type WritableFile,
  bytewiseComparator,
  invalidArgument,
  utf8,
} from '@velocity/core';
import type { FilterBuilder, FilterPolicy } from '@velocity/bloom';
import { BlockBuilder } from './block-builder.js';
import { BlockWriter } from './block-io.js';
import { checkCodecId } from './codecs/registry.js';
import { filterBuilder } from './filter-keys.js';
import { noCompression } from './codecs/none.js';
import {
  BASE_TABLE_FORMAT_VERSION,
  BLOCK_TRAILER_SIZE,
  type BlockHandle,
  FILTER_BLOCK_PREFIX,
  PROPERTIES_BLOCK_NAME,
  encodeBlockHandle,
  TABLE_FORMAT_VERSION,
  encodeFooter,
} from './format.js';
import { encodeProperties } from './properties.js';
import {
  RANGE_DEL_BLOCK_NAME,
  RANGE_DEL_TABLE_FORMAT_VERSION,
  encodeRangeDelBlock,
} from './range-del-block.js';
import type { Codec, TableBuilderOptions, TableProperties } from './types.js';

const identity = (key: Uint8Array): Uint8Array => key;

function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw invalidArgument(`${what} must be a positive integer`);
  return value;
}

/**
 * Writes a sorted table to a file: add keys in strictly increasing order, then `finish()`. Layout:
 * data blocks, filter block (one filter over `filterKey` of every key), range-deletion block (only
 * with range tombstones), properties block, metaindex, index, footer (see docs/formats/sstable.md).
 *
 * @example
 * ```ts
 * import { BloomFilterPolicy } from '@velocity/bloom';
 * import { MemoryFileSystem, utf8 } from '@velocity/core';
 * import { TableBuilder } from '@velocity/sstable';
 * const fs = new MemoryFileSystem();
 * const file = fs.openWritable('/t.sst');
 * const builder = new TableBuilder(file, { filterPolicy: new BloomFilterPolicy() });
 * builder.add(utf8('a'), utf8('1'));
 * builder.add(utf8('b'), utf8('2'));
 * const props = builder.finish(); // props.entries === 2
 * file.sync();
 * file.close();
 * ```
 */
export class TableBuilder {
  private readonly comparator: Comparator;
  private readonly filterPolicy: FilterPolicy | undefined;
  private readonly filterKey: (key: Uint8Array) => Uint8Array;
  private readonly blockSize: number;
  private readonly restartInterval: number;
  private readonly codec: Codec;
  private readonly writer: BlockWriter;
  private readonly dataBlock: BlockBuilder;
  private readonly indexBlock = new BlockBuilder(1);
  /** The filter, built as keys are added (distinct consecutive filter keys only). */
  private filter: FilterBuilder | undefined;
  /** The last filter key added, in `[0, previousFilterKeyLength)` (a buffer reused from key to key). */
  private previousFilterKey = new Uint8Array(64);
  private previousFilterKeyLength = 0;
  private lastKey: Uint8Array = EMPTY_BYTES;
  private smallestKey: Uint8Array = EMPTY_BYTES;
  /** Handle of the last flushed data block, waiting for the next key to choose its separator. */
  private pendingHandle: BlockHandle | undefined;
  private entryCount = 0;
  private dataBlocks = 0;
  private rawKeyBytes = 0;
  private rawValueBytes = 0;
  private closed = false;
  private formatVersion = BASE_TABLE_FORMAT_VERSION;
  private readonly rangeTombstones: RangeTombstone[] = [];

  constructor(
    private readonly file: WritableFile,
    options: TableBuilderOptions = {},
  ) {
    this.comparator = options.comparator ?? bytewiseComparator;
    this.filterPolicy = options.filterPolicy;
    this.filterKey = options.filterKey ?? identity;
    this.filter = this.filterPolicy === undefined ? undefined : filterBuilder(this.filterPolicy);
    this.blockSize = positiveInteger(options.blockSize, 4096, 'blockSize');
    this.restartInterval = positiveInteger(options.blockRestartInterval, 16, 'blockRestartInterval');
    this.codec = options.compression ?? noCompression;
    checkCodecId(this.codec);
    this.writer = new BlockWriter(file);
    this.dataBlock = new BlockBuilder(this.restartInterval);
  }

  /** Number of entries added. */
  get entries(): number {
    return this.entryCount;
  }

  /** Bytes written so far plus the pending data block's size. */
  get estimatedSize(): number {
    return this.writer.offset + (this.dataBlock.empty ? 0 : this.dataBlock.estimatedSize);
  }

  /**
   * Records that the table holds data that readers of an older format would misread (for example
   * `ValueKind.PutWithExpiry` entries: version 2); the footer then names `version` (at most
   * {@link TABLE_FORMAT_VERSION}) so that such readers refuse the table with `FORMAT_VERSION`.
   */
  requireFormatVersion(version: number): void {
    if (!(Number.isInteger(version) && version >= 1 && version <= TABLE_FORMAT_VERSION)) {
      throw invalidArgument(`table format version must be 1..${TABLE_FORMAT_VERSION}, got ${version}`);
    }
    if (version > this.formatVersion) this.formatVersion = version;
  }

  /**
   * Adds a range tombstone (`start` inclusive, `end` exclusive, both user keys; any order relative to
   * the entries). A table with tombstones gets a range-deletion block and format version 3, so older
   * readers refuse it with `FORMAT_VERSION`. The caller keeps the table's recorded key range wide
   * enough to cover its tombstones.
   */
  addRangeTombstone(start: Uint8Array, end: Uint8Array, sequence: number): void {
    this.checkOpen();
    this.rangeTombstones.push({ start: start.slice(), end: end.slice(), sequence });
    this.requireFormatVersion(RANGE_DEL_TABLE_FORMAT_VERSION);
  }

  /**
   * Records `smallest` and `largest` as the table's key range in its properties instead of the first
   * and last entry's keys (for a table whose range tombstones reach beyond its entries). They must
   * include every entry.
   */
  recordKeyRange(smallest: Uint8Array, largest: Uint8Array): void {
    this.checkOpen();
    this.recordedRange = { smallest: smallest.slice(), largest: largest.slice() };
  }

  private recordedRange: { smallest: Uint8Array; largest: Uint8Array } | undefined;

  /** Number of range tombstones added. */
  get rangeTombstoneCount(): number {
    return this.rangeTombstones.length;
  }

  private checkOpen(): void {
    if (this.closed) throw new VelocityError('CLOSED', `table builder for ${this.file.path} is finished`);
  }

  /** Adds an entry. Throws `INVALID_ARGUMENT` unless `key` sorts after the previous key. */
  add(key: Uint8Array, value: Uint8Array): void {
    this.checkOpen();
    if (this.entryCount > 0 && this.comparator.compare(key, this.lastKey) <= 0) {
      throw invalidArgument('table keys must be added in strictly increasing order');
    }
    if (this.pendingHandle !== undefined) {
      this.addIndexEntry(this.comparator.findShortestSeparator(this.lastKey, key));
    }
    if (this.filter !== undefined) this.addFilterKey(this.filter, this.filterKey(key));
    this.lastKey = key.slice();
    if (this.entryCount === 0) this.smallestKey = this.lastKey;
    this.entryCount++;
    this.rawKeyBytes += key.length;
    this.rawValueBytes += value.length;
    this.dataBlock.add(key, value);
    if (this.dataBlock.estimatedSize >= this.blockSize) this.flushDataBlock();
  }

  /** Adds `filterKey` to the filter unless it equals the previous entry's (kept in `previousFilterKey`). */
  private addFilterKey(filter: FilterBuilder, filterKey: Uint8Array): void {
    const n = filterKey.length;
    let previous = this.previousFilterKey;
    if (this.entryCount > 0 && n === this.previousFilterKeyLength) {
      let i = 0;
      while (i < n && previous[i] === filterKey[i]) i++;
      if (i === n) return;
    }
    filter.add(filterKey);
    if (n > previous.length)
      previous = this.previousFilterKey = new Uint8Array(Math.max(n, 2 * previous.length));
    previous.set(filterKey);
    this.previousFilterKeyLength = n;
  }

  private flushDataBlock(): void {
    if (this.dataBlock.empty) return;
    this.pendingHandle = this.writer.writeBlock(this.dataBlock.finish(), this.codec);
    this.dataBlock.reset();
    this.dataBlocks++;
  }

  private addIndexEntry(separator: Uint8Array): void {
    if (this.pendingHandle === undefined) return;
    this.indexBlock.add(separator, encodeBlockHandle(this.pendingHandle));
    this.pendingHandle = undefined;
  }

  /**
   * Writes the last data block, the filter, properties, metaindex and index blocks and the footer, then
   * flushes the file. Does not sync or close it. Returns the table's properties.
   */
  finish(): TableProperties {
    this.checkOpen();
    this.closed = true;
    this.flushDataBlock();
    if (this.pendingHandle !== undefined)
      this.addIndexEntry(this.comparator.findShortSuccessor(this.lastKey));
    const dataBytes = this.writer.offset;
    const metaindex = new BlockBuilder(1);
    let filterBytes = 0;
    let filterEntry: [Uint8Array, Uint8Array] | undefined;
    if (this.filterPolicy !== undefined && this.filter !== undefined) {
      const filter = this.filter.finish();
      const handle = this.writer.writeRaw(filter, 0);
      filterBytes = handle.size + BLOCK_TRAILER_SIZE;
      filterEntry = [utf8(FILTER_BLOCK_PREFIX + this.filterPolicy.name), encodeBlockHandle(handle)];
    }
    const rangeDel =
      this.rangeTombstones.length === 0
        ? undefined
        : this.writer.writeRaw(encodeRangeDelBlock(this.rangeTombstones), 0);
    const stored = {
      entries: this.entryCount,
      dataBlocks: this.dataBlocks,
      rawKeyBytes: this.rawKeyBytes,
      rawValueBytes: this.rawValueBytes,
      dataBytes,
      filterBytes,
      smallestKey: this.recordedRange?.smallest ?? this.smallestKey,
      largestKey: this.recordedRange?.largest ?? this.lastKey,
      comparatorName: this.comparator.name,
      filterPolicyName: this.filterPolicy?.name ?? '',
      compressionName: this.codec.name,
      blockSize: this.blockSize,
      blockRestartInterval: this.restartInterval,
    };
    const propertiesHandle = this.writer.writeRaw(encodeProperties(stored), 0);
    // Metaindex keys in bytewise order: 'filter.<name>' sorts before 'velocity.properties'.
    if (filterEntry !== undefined) metaindex.add(filterEntry[0], filterEntry[1]);
    metaindex.add(utf8(PROPERTIES_BLOCK_NAME), encodeBlockHandle(propertiesHandle));
    // 'velocity.range_del' sorts after 'velocity.properties'.
    if (rangeDel !== undefined) metaindex.add(utf8(RANGE_DEL_BLOCK_NAME), encodeBlockHandle(rangeDel));
    const metaindexHandle = this.writer.writeRaw(metaindex.finish(), 0);
    const indexHandle = this.writer.writeRaw(this.indexBlock.finish(), 0);
    this.writer.writeBytes(encodeFooter(metaindexHandle, indexHandle, this.formatVersion));
    this.file.flush();
    return {
      ...stored,
      indexBytes: indexHandle.size + BLOCK_TRAILER_SIZE,
      fileSize: this.writer.offset,
    };
  }

  /** Stops building; nothing more is written. The caller closes and deletes the file. */
  abandon(): void {
    this.closed = true;
    this.filter = undefined;
  }
}
