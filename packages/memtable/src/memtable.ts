import type { SeekableIterator, ValueKind } from '@velocity/core';

/** What a memtable lookup found for a user key at a sequence number. */
export type MemTableLookup =
  /** The newest visible version is a value. */
  | {
      /** A put. */
      readonly kind: 'put';
      /** The value stored (for a put with expiry, without its 8-byte expiry prefix). */
      readonly value: Uint8Array;
      /** Sequence number of the put. */
      readonly sequence: number;
      /**
       * For a `ValueKind.PutWithExpiry` entry, when it expires (milliseconds since the epoch); the
       * caller decides whether that has passed. Absent for a plain put.
       */
      readonly expiresAt?: number;
    }
  /** The newest visible version is a deletion. */
  | {
      /** A deletion. */
      readonly kind: 'delete';
      /** Sequence number of the deletion. */
      readonly sequence: number;
    };

/**
 * The sorted in-memory write buffer. Entries are internal entries: (user key, sequence, kind, value).
 * Order: user key ascending by the user comparator, then sequence descending.
 *
 * One writer appends while readers (gets and iterators) run in the same thread between appends;
 * iterators stay valid and see a consistent order while entries are added.
 */
export interface MemTable {
  /**
   * Adds an entry. REQUIRES: the (user key, sequence) pair is new. `value` is ignored (empty) for
   * deletions; for `ValueKind.PutWithExpiry` it is the stored form (expiry prefix, then the value). The memtable keeps its own copies or takes ownership; callers must not mutate after.
   */
  add(sequence: number, kind: ValueKind, userKey: Uint8Array, value: Uint8Array): void;
  /**
   * Optional: {@link MemTable.add} of the user key `key[keyStart, keyEnd)` and the value
   * `value[valueStart, valueEnd)`, so that the write path need not make a view of each (it passes
   * one write batch for both). Without it, the write path calls `add` with views.
   */
  addFrom?(
    sequence: number,
    kind: ValueKind,
    key: Uint8Array,
    keyStart: number,
    keyEnd: number,
    value: Uint8Array,
    valueStart: number,
    valueEnd: number,
  ): void;
  /**
   * The newest version of `userKey` with sequence <= `sequence`, or `undefined` when the memtable has
   * none (the caller then looks further down).
   */
  get(userKey: Uint8Array, sequence: number): MemTableLookup | undefined;
  /**
   * An iterator over internal keys (`makeInternalKey(userKey, sequence, kind)` byte layout) in internal
   * key order; `seek` takes an internal key. Values are the stored values (empty for deletions).
   */
  iterator(): SeekableIterator;
  /**
   * Optional, for flushes: a cursor that copies the entries, in iterator order, straight into a
   * caller's buffer (no object per entry). Without it, flushes copy through {@link MemTable.iterator}.
   */
  entryCopier?(): EntryCopier;
  /** Number of entries added. */
  readonly count: number;
  /** Approximate bytes of memory held (keys, values and structure overhead). */
  approximateMemoryUsage(): number;
}

/** Copies a memtable's entries in order into flat buffers (see {@link MemTable.entryCopier}). */
export interface EntryCopier {
  /** Bytes the next entry takes (internal key plus value), or -1 once every entry was copied. */
  nextBytes(): number;
  /**
   * Copies the next entry into `out` at `at`: its internal key, then its value. Returns the offset
   * after the value; {@link EntryCopier.keyEnd} is then the offset after the key.
   */
  copyNext(out: Uint8Array, at: number): number;
  /** Where the key copied last ends (its value starts there). */
  readonly keyEnd: number;
}
