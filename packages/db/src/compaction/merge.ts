/**
 * The merge of a compaction, set up the same way on the main thread and in the compaction worker:
 * cursors over the input tables, a `CompactionJob`, and output tables written through
 * `CompactionSink`s.
 * @module
 */
import { type CompactionFilter, CompactionJob } from '@velocity/compaction';
import type { FileSystem, InternalKeyComparator, RangeTombstone, SeekableIterator } from '@velocity/core';
import type { TableBuilderOptions } from '@velocity/sstable';
import { TableFile } from '../file-meta.js';
import { LevelIterator } from '../level-iterator.js';
import type { TableCache } from '../table-cache.js';
import { CompactionSink, type PendingSyncs } from '../table-writer.js';

/** The input tables of one level. */
export interface MergeInput {
  level: number;
  files: readonly TableFile[];
}

/** What a merge reads and writes. */
export interface MergeOptions {
  icmp: InternalKeyComparator;
  inputs: readonly MergeInput[];
  tables: TableCache;
  snapshots: readonly number[];
  bottommost: boolean;
  targetFileSize: number;
  fs: FileSystem;
  dir: string;
  builderOptions: TableBuilderOptions;
  /** The file number of the next output (may throw to fail the merge). */
  nextNumber(): number;
  /** The time expiry is judged at (milliseconds since the epoch). */
  now: number;
  /** The database's compaction filter, on the main thread only. */
  filter?: CompactionFilter;
  /** The level the outputs go to (the filter is told). */
  outputLevel?: number;
  /** Where finished outputs' fsyncs are tracked when they run in the background (else synced at once). */
  syncs?: PendingSyncs;
}

/** A merge in progress: drive `job.step()` until it returns true. */
export class Merge {
  readonly job: CompactionJob;
  /** Outputs opened so far, finished or not. */
  readonly sinks: CompactionSink[] = [];
  private readonly iterators: SeekableIterator[] = [];

  constructor(options: MergeOptions) {
    const rangeTombstones: RangeTombstone[] = [];
    for (const input of options.inputs) {
      for (const f of input.files) {
        if (f.rangeTombstones > 0) rangeTombstones.push(...options.tables.get(f).rangeTombstones());
      }
      if (input.level === 0) {
        for (const f of input.files)
          this.iterators.push(new LevelIterator(options.icmp, [f], options.tables));
      } else if (input.files.length > 0) {
        this.iterators.push(new LevelIterator(options.icmp, input.files, options.tables));
      }
    }
    this.job = new CompactionJob({
      comparator: options.icmp,
      inputs: this.iterators,
      snapshots: options.snapshots,
      bottommost: options.bottommost,
      targetFileSize: options.targetFileSize,
      now: options.now,
      filter: options.filter,
      outputLevel: options.outputLevel,
      rangeTombstones,
      openSink: () => {
        const sink = new CompactionSink(
          options.fs,
          options.dir,
          options.nextNumber(),
          options.builderOptions,
          options.syncs,
        );
        this.sinks.push(sink);
        return sink;
      },
    });
  }

  /** The finished outputs (each fsynced and closed by its sink, or by its tracked sync once settled). */
  outputFiles(): TableFile[] {
    return this.job.outputs.map(
      (out) =>
        new TableFile({
          id: (out.sink as CompactionSink).number,
          size: out.fileSize,
          smallest: out.smallestKey,
          largest: out.largestKey,
          smallestSequence: out.smallestSequence,
          largestSequence: out.largestSequence,
          entries: out.entries,
          tombstones: out.tombstones,
          rangeTombstones: out.rangeTombstones,
        }),
    );
  }

  /** Removes every output file (for a merge that failed or will not be installed). */
  discard(): void {
    for (const sink of this.sinks) sink.discard();
  }

  /** Releases the input cursors. */
  close(): void {
    for (const it of this.iterators) it.close?.();
  }
}
