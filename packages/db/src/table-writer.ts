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
import { SliceTimer } from './background-turns.js';
import { AbortedError } from './aborted-error.js';
import { closeQuietly, removeQuietly } from './quiet-cleanup.js';

/** The table format version whose tables may hold puts with expiry (older readers refuse them). */
const EXPIRY_TABLE_FORMAT_VERSION = 2;

/** Raises `builder`'s format version when the entry with internal key `key` needs it. */
function noteKind(builder: TableBuilder, key: Uint8Array): void {
  if (key[key.length - TRAILER_SIZE] === ValueKind.PutWithExpiry)
    builder.requireFormatVersion(EXPIRY_TABLE_FORMAT_VERSION);
}

/** Where and how tables are written. */
export interface TableWriteContext {
  fs: FileSystem;
  dir: string;
  builderOptions: TableBuilderOptions;
  /** Milliseconds the current turn of background work may use. */
  sliceBudget(): number;
  /** Resolves at the next turn of background work. */
  nextTurn(): Promise<void>;
  /** True when the work should stop (the database is closing or failed). */
  aborted(): boolean;
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
  const path = tableFileName(ctx.dir, number);
  const file = ctx.fs.openWritable(path);
  const builder = new TableBuilder(file, ctx.builderOptions);
  let finished = false;
  try {
    const icmp = ctx.builderOptions.comparator as InternalKeyComparator;
    const bounds = rangeTombstoneBounds(icmp.user, ranges);
    let smallest: Uint8Array | undefined = it.valid() ? it.key().slice() : undefined;
    let minSeq = Number.MAX_SAFE_INTEGER;
    let maxSeq = 0;
    for (const t of ranges) {
      builder.addRangeTombstone(t.start, t.end, t.sequence);
      if (t.sequence < minSeq) minSeq = t.sequence;
      if (t.sequence > maxSeq) maxSeq = t.sequence;
    }
    let tombstones = 0;
    const timer = new SliceTimer(ctx.sliceBudget());
    for (; it.valid(); it.next()) {
      const key = it.key();
      const seq = extractSequence(key);
      if (seq < minSeq) minSeq = seq;
      if (seq > maxSeq) maxSeq = seq;
      if (key[key.length - TRAILER_SIZE] === ValueKind.Delete) tombstones++;
      else noteKind(builder, key);
      builder.add(key, it.value());
      if (timer.expired()) {
        await ctx.nextTurn();
        if (ctx.aborted()) throw new AbortedError();
        timer.reset(ctx.sliceBudget());
      }
    }
    it.seekToLast();
    let largest: Uint8Array | undefined = it.valid() ? it.key().slice() : undefined;
    if (bounds !== undefined) {
      if (smallest === undefined || icmp.compare(bounds.smallest, smallest) < 0) smallest = bounds.smallest;
      if (largest === undefined || icmp.compare(bounds.largest, largest) > 0) largest = bounds.largest;
      builder.recordKeyRange(smallest, largest);
    }
    const props = builder.finish();
    finished = true;
    // Off the main thread where the file system can (a flush's fsync takes milliseconds).
    if (file.syncAsync !== undefined) await file.syncAsync();
    else file.sync();
    file.close();
    return new TableFile({
      id: number,
      size: props.fileSize,
      smallest: smallest as Uint8Array,
      largest: largest as Uint8Array,
      smallestSequence: minSeq,
      largestSequence: maxSeq,
      entries: props.entries,
      tombstones,
      rangeTombstones: ranges.length,
    });
  } catch (error) {
    if (!finished) {
      try {
        builder.abandon();
      } catch {
        // Already failing.
      }
    }
    closeQuietly(file);
    removeQuietly(ctx.fs, path);
    throw error;
  }
}

/** An output table of a compaction. */
export class CompactionSink implements TableSink {
  private readonly file: WritableFile;
  private readonly builder: TableBuilder;
  private done = false;

  constructor(
    private readonly fs: FileSystem,
    dir: string,
    /** The table's file number. */
    readonly number: number,
    options: TableBuilderOptions,
  ) {
    this.file = fs.openWritable(tableFileName(dir, number));
    this.builder = new TableBuilder(this.file, options);
  }

  add(internalKey: Uint8Array, value: Uint8Array): void {
    noteKind(this.builder, internalKey);
    this.builder.add(internalKey, value);
  }

  addRangeTombstone(start: Uint8Array, end: Uint8Array, sequence: number): void {
    this.builder.addRangeTombstone(start, end, sequence);
  }

  setKeyRange(smallest: Uint8Array, largest: Uint8Array): void {
    this.builder.recordKeyRange(smallest, largest);
  }

  get estimatedSize(): number {
    return this.builder.estimatedSize;
  }

  /** Finishes the table, fsyncs and closes the file; returns its size. */
  finish(): number {
    const props = this.builder.finish();
    this.done = true;
    this.file.sync();
    this.file.close();
    return props.fileSize;
  }

  /** Stops an unfinished table and removes the file. */
  discard(): void {
    if (!this.done) {
      try {
        this.builder.abandon();
      } catch {
        // Already failing.
      }
    }
    closeQuietly(this.file);
    removeQuietly(this.fs, this.file.path);
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
