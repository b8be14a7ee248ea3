/**
 * What the engine knows about one table file.
 * @module
 */
import type { FileMeta } from '@velocity/compaction';
import { extractUserKey } from '@velocity/core';

/** What the manifest records of a table file (and what a worker job carries as plain data). */
export interface TableFileFields {
  /** File number. */
  readonly id: number;
  /** Size in bytes. */
  readonly size: number;
  /** Smallest internal key. */
  readonly smallest: Uint8Array;
  /** Largest internal key. */
  readonly largest: Uint8Array;
  /** Smallest sequence number of its entries. */
  readonly smallestSequence: number;
  /** Largest sequence number of its entries. */
  readonly largestSequence: number;
  /** Entries, tombstones included. */
  readonly entries: number;
  /** Tombstones. */
  readonly tombstones: number;
  /** Range tombstones in its range-deletion block (absent: 0). */
  readonly rangeTombstones?: number;
}

/** Description of a table file: what the manifest records plus derived views. */
export class TableFile implements FileMeta, TableFileFields {
  readonly id: number;
  readonly size: number;
  readonly smallest: Uint8Array;
  readonly largest: Uint8Array;
  readonly smallestSequence: number;
  readonly largestSequence: number;
  readonly entries: number;
  readonly tombstones: number;
  readonly rangeTombstones: number;
  /** Smallest user key (a view into {@link TableFile.smallest}). */
  readonly smallestKey: Uint8Array;
  /** Largest user key (a view into {@link TableFile.largest}). */
  readonly largestKey: Uint8Array;

  constructor(fields: TableFileFields) {
    this.id = fields.id;
    this.size = fields.size;
    this.smallest = fields.smallest;
    this.largest = fields.largest;
    this.smallestSequence = fields.smallestSequence;
    this.largestSequence = fields.largestSequence;
    this.entries = fields.entries;
    this.tombstones = fields.tombstones;
    this.rangeTombstones = fields.rangeTombstones ?? 0;
    this.smallestKey = extractUserKey(fields.smallest);
    this.largestKey = extractUserKey(fields.largest);
  }

  /** The recorded fields alone, as plain data (for a worker job). */
  fields(): TableFileFields {
    const { id, size, smallest, largest, smallestSequence, largestSequence, entries, tombstones } = this;
    const fields = { id, size, smallest, largest, smallestSequence, largestSequence, entries, tombstones };
    return this.rangeTombstones > 0 ? { ...fields, rangeTombstones: this.rangeTombstones } : fields;
  }
}
