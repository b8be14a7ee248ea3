/**
 * Writing table files: one whole table from a sorted iterator (memtable flushes and recovery), and the
 * output sink compactions write through.
 * @module
 */
import type { TableSink } from '@velocity/compaction';
import {
  type FileSystem,
  type RangeTombstone,
  type SeekableIterator,
  TRAILER_SIZE,
  rangeTombstoneBounds,
  ValueKind,
  InternalKeyComparator,
  type WritableFile,
  extractSequence,
} from '@velocity/core';
import { TableBuilder, type TableBuilderOptions } from '@velocity/sstable';
import { internalFilterPolicy, stripTrailer } from './internal-filter.js';
import type { ResolvedOptions } from './options.js';
import { TableFile } from './file-meta.js';
import { tableFileName } from './filenames.js';
import { type SliceContext, SliceTimer } from './background-turns.js';
import { AbortedError } from './aborted-error.js';
import { closeQuietly, removeQuietly } from './quiet-cleanup.js';

/** The table format version whose tables may hold puts with expiry (older readers refuse them). */
const EXPIRY_TABLE_FORMAT_VERSION = 2;

/** Raises `builder`'s format version when the entry with internal key `key` needs it. */
function noteKind(builder: TableBuilder, key: Uint8Array): void {
  if (key[key.length - TRAILER_SIZE] === ValueKind.PutWithExpiry)
    builder.requireFormatVersion(EXPIRY_TABLE_FORMAT_VERSION);
}

/** Where and how tables are written, and the slices the main thread writes them in. */
export interface TableWriteContext extends SliceContext {
  fs: FileSystem;
  dir: string;
  builderOptions: TableBuilderOptions;
}

/**
 * One table file being written from sorted entries and range tombstones, with what its
 * {@link TableFile} description needs (sequence range, deletions, the first and last keys) gathered on
 * the way.
 */
class TableFileWriter {
  private readonly file: WritableFile;
  private readonly builder: TableBuilder;
  private smallest: Uint8Array | undefined;
  private minSeq = Number.MAX_SAFE_INTEGER;
  private maxSeq = 0;
  private tombstones = 0;
  private rangeTombstones = 0;
  private finished = false;
  private entries = 0;

  constructor(
    private readonly fs: FileSystem,
    private readonly path: string,
    private readonly number: number,
    private readonly options: TableBuilderOptions,
  ) {
    this.file = fs.openWritable(path);
    this.builder = new TableBuilder(this.file, options);
  }

  /** Adds a range tombstone (any order; the builder sorts and fragments them). */
  addRangeTombstone(t: RangeTombstone): void {
    this.builder.addRangeTombstone(t.start, t.end, t.sequence);
    if (t.sequence < this.minSeq) this.minSeq = t.sequence;
    if (t.sequence > this.maxSeq) this.maxSeq = t.sequence;
    this.rangeTombstones++;
  }

  /** Records the table's key range explicitly (a compaction output whose tombstones reach past its keys). */
  setKeyRange(smallest: Uint8Array, largest: Uint8Array): void {
    this.builder.recordKeyRange(smallest, largest);
  }

  /** Adds the next entry (internal keys in order). */
  add(key: Uint8Array, value: Uint8Array): void {
    if (this.smallest === undefined) this.smallest = key.slice();
    const seq = extractSequence(key);
    if (seq < this.minSeq) this.minSeq = seq;
    if (seq > this.maxSeq) this.maxSeq = seq;
    if (key[key.length - TRAILER_SIZE] === ValueKind.Delete) this.tombstones++;
    else noteKind(this.builder, key);
    this.builder.add(key, value);
  }

  /** Bytes the table would have if finished now. */
  get estimatedSize(): number {
    return this.builder.estimatedSize;
  }

  /** Writes the table's last blocks and footer (not yet synced); returns the file's size. */
  finishFile(): number {
    const props = this.builder.finish();
    this.finished = true;
    this.entries = props.entries;
    return props.fileSize;
  }

  /**
   * {@link TableFileWriter.finishFile}, returning the table's description: its key range spans its last
   * entry's key `lastKey` (undefined when it holds only range tombstones) and its tombstones.
   */
  finish(lastKey: Uint8Array | undefined, ranges: readonly RangeTombstone[]): TableFile {
    let smallest: Uint8Array | undefined = this.smallest;
    let largest: Uint8Array | undefined = lastKey?.slice();
    const icmp = this.options.comparator as InternalKeyComparator;
    const bounds = rangeTombstoneBounds(icmp.user, ranges);
    if (bounds !== undefined) {
      if (smallest === undefined || icmp.compare(bounds.smallest, smallest) < 0) smallest = bounds.smallest;
      if (largest === undefined || icmp.compare(bounds.largest, largest) > 0) largest = bounds.largest;
      this.builder.recordKeyRange(smallest, largest as Uint8Array);
    }
    const size = this.finishFile();
    return new TableFile({
      id: this.number,
      size,
      smallest: smallest as Uint8Array,
      largest: largest as Uint8Array,
      smallestSequence: this.minSeq,
      largestSequence: this.maxSeq,
      entries: this.entries,
      tombstones: this.tombstones,
      rangeTombstones: this.rangeTombstones,
    });
  }

  /** True when {@link TableFileWriter.syncAndClose} runs the fsync off the calling thread. */
  get syncsAsynchronously(): boolean {
    return this.file.syncAsync !== undefined;
  }

  /** Fsyncs off the main thread where the file system can (a flush's fsync takes milliseconds). */
  async syncAndClose(): Promise<void> {
    if (this.file.syncAsync !== undefined) await this.file.syncAsync();
    else this.file.sync();
    this.file.close();
  }

  /** Fsyncs and closes on this thread. */
  syncAndCloseNow(): void {
    this.file.sync();
    this.file.close();
  }

  /** After a failure: stops the build and removes the partial file. */
  discard(): void {
    if (!this.finished) {
      try {
        this.builder.abandon();
      } catch {
        // Already failing.
      }
    }
    closeQuietly(this.file);
    removeQuietly(this.fs, this.path);
  }
}

/**
 * Writes every entry of `it` (internal keys, sorted) and the range tombstones `ranges` to table
 * `number`, fsyncs and closes it, yielding to the event loop between slices. The table's key range
 * covers its tombstones. Returns its description, or undefined (and writes no file) when there is
 * nothing to write. On failure the partial file is removed and the error thrown.
 */
export async function writeTable(
  ctx: TableWriteContext,
  it: SeekableIterator,
  number: number,
  ranges: readonly RangeTombstone[] = [],
): Promise<TableFile | undefined> {
  it.seekToFirst();
  if (!it.valid() && ranges.length === 0) return undefined;
  const writer = new TableFileWriter(ctx.fs, tableFileName(ctx.dir, number), number, ctx.builderOptions);
  try {
    for (const t of ranges) writer.addRangeTombstone(t);
    const timer = new SliceTimer(ctx.sliceBudget());
    for (; it.valid(); it.next()) {
      writer.add(it.key(), it.value());
      if (timer.expired()) {
        await ctx.nextTurn();
        if (ctx.aborted()) throw new AbortedError();
        timer.reset(ctx.sliceBudget());
      }
    }
    it.seekToLast();
    const table = writer.finish(it.valid() ? it.key() : undefined, ranges);
    await writer.syncAndClose();
    return table;
  } catch (error) {
    writer.discard();
    throw error;
  }
}

/**
 * {@link writeTable} in one go, for a thread with no event loop to share (the compaction worker's
 * flushes): the same table, built before it returns and then fsynced and closed, off the calling
 * thread where the file system can, by the time the promise resolves.
 */
export function writeTableNow(
  fs: FileSystem,
  dir: string,
  options: TableBuilderOptions,
  it: SeekableIterator,
  number: number,
  ranges: readonly RangeTombstone[] = [],
): Promise<TableFile | undefined> {
  // A slice that never expires: the build runs to its end without yielding.
  const unsliced: TableWriteContext = {
    fs,
    dir,
    builderOptions: options,
    sliceBudget: () => Number.POSITIVE_INFINITY,
    nextTurn: () => Promise.resolve(),
    aborted: () => false,
  };
  return writeTable(unsliced, it, number, ranges);
}

/**
 * Fsyncs of finished output tables running off the calling thread while the merge goes on (a 2 MiB
 * table's fsync takes milliseconds, a thread waiting for it merges nothing meanwhile). A merge awaits
 * {@link PendingSyncs.settle} before it reports its outputs, so nothing names a table before it is
 * durable.
 */
export class PendingSyncs {
  private pending: Promise<void>[] = [];

  /** Tracks `sync` (its failure is reported by {@link PendingSyncs.settle}). */
  add(sync: Promise<void>): void {
    sync.catch(() => {}); // Reported by settle(); not an unhandled rejection meanwhile.
    this.pending.push(sync);
  }

  /** Resolves once every tracked sync settled; rejects with the first failure. */
  async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    const failed = (await Promise.allSettled(pending)).find((r) => r.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  }
}

/** An output table of a compaction. */
export class CompactionSink implements TableSink {
  private readonly writer: TableFileWriter;

  /**
   * With `syncs`, a finished table is fsynced off the calling thread where the file system can (see
   * {@link PendingSyncs}); without, before {@link CompactionSink.finish} returns.
   */
  constructor(
    fs: FileSystem,
    dir: string,
    /** The table's file number. */
    readonly number: number,
    options: TableBuilderOptions,
    private readonly syncs?: PendingSyncs,
  ) {
    this.writer = new TableFileWriter(fs, tableFileName(dir, number), number, options);
  }

  add(internalKey: Uint8Array, value: Uint8Array): void {
    this.writer.add(internalKey, value);
  }

  addRangeTombstone(start: Uint8Array, end: Uint8Array, sequence: number): void {
    this.writer.addRangeTombstone({ start, end, sequence });
  }

  setKeyRange(smallest: Uint8Array, largest: Uint8Array): void {
    this.writer.setKeyRange(smallest, largest);
  }

  get estimatedSize(): number {
    return this.writer.estimatedSize;
  }

  /** Finishes the table and fsyncs and closes the file (now, or tracked by its syncs); returns its size. */
  finish(): number {
    const size = this.writer.finishFile();
    if (this.syncs !== undefined && this.writer.syncsAsynchronously)
      this.syncs.add(this.writer.syncAndClose());
    else this.writer.syncAndCloseNow();
    return size;
  }

  /** Stops an unfinished table and removes the file. */
  discard(): void {
    this.writer.discard();
  }
}

/** Table builder options from database options. */
export function tableBuilderOptions(
  options: ResolvedOptions,
  icmp: InternalKeyComparator = new InternalKeyComparator(options.comparator),
): TableBuilderOptions {
  return {
    comparator: icmp,
    filterPolicy: options.filterPolicy === null ? undefined : internalFilterPolicy(options.filterPolicy),
    filterKey: stripTrailer,
    blockSize: options.blockSize,
    blockRestartInterval: options.blockRestartInterval,
    compression: options.compression,
  };
}
