/**
 * What the engine knows about one table file.
 * @module
 */
import type { FileMeta } from '@velocity/compaction';
import { extractSequence, extractUserKey } from '@velocity/core';

/** Description of a table file: what the manifest records plus derived views. */
export class TableFile implements FileMeta {
  /** Smallest and largest user key (views into the internal keys). */
  readonly smallestKey: Uint8Array;
  readonly largestKey: Uint8Array;

  constructor(
    /** File number. */
    readonly id: number,
    /** Size in bytes. */
    readonly size: number,
    /** Smallest internal key. */
    readonly smallest: Uint8Array,
    /** Largest internal key. */
    readonly largest: Uint8Array,
    /** Smallest and largest sequence number of its entries. */
    readonly smallestSequence: number,
    readonly largestSequence: number,
    /** Entries, tombstones included. */
    readonly entries: number,
    /** Tombstones. */
    readonly tombstones: number,
  ) {
    this.smallestKey = extractUserKey(smallest);
    this.largestKey = extractUserKey(largest);
  }

  /** Builds the description of a file from its key range when the sequence range is not tracked. */
  static fromKeys(
    id: number,
    size: number,
    smallest: Uint8Array,
    largest: Uint8Array,
    entries: number,
    tombstones: number,
    smallestSequence?: number,
    largestSequence?: number,
  ): TableFile {
    return new TableFile(
      id,
      size,
      smallest,
      largest,
      smallestSequence ?? Math.min(extractSequence(smallest), extractSequence(largest)),
      largestSequence ?? Math.max(extractSequence(smallest), extractSequence(largest)),
      entries,
      tombstones,
    );
  }
}
