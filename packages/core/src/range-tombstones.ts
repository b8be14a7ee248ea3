/**
 * Range tombstones: a deletion of every user key in `[start, end)` older than the tombstone.
 *
 * A tombstone written at sequence `S` hides every entry with a sequence below `S` whose user key `k`
 * has `start <= k < end`. Readers at a snapshot below `S` do not see it. {@link RangeTombstoneIndex}
 * fragments a set of tombstones into non-overlapping pieces, each with the descending list of the
 * sequences that cover it, and answers "the newest tombstone covering `k` visible at `S`" with one
 * binary search.
 * @module
 */
import { compareBytes } from './bytes.js';
import type { Comparator } from './comparator.js';
import { KIND_FOR_SEEK, MAX_SEQUENCE, ValueKind, makeInternalKey } from './internal-key.js';

/**
 * The kind byte of a range tombstone, in batch records and in the trailers of a table's range-deletion
 * block (RocksDB's `kTypeRangeDeletion`). Never an entry of a data block or a memtable. Persisted.
 */
export const RANGE_DELETE_KIND = 15;

/** One range tombstone: keys in `[start, end)` older than `sequence` are deleted. */
export interface RangeTombstone {
  /** First user key deleted. */
  readonly start: Uint8Array;
  /** First user key after the deleted range (exclusive). */
  readonly end: Uint8Array;
  /** The tombstone's sequence number. */
  readonly sequence: number;
}

/** A piece of the fragmented set: the keys in `[start, end)` are covered by each of `sequences`. */
export interface TombstoneFragment {
  /** First user key of the piece. */
  readonly start: Uint8Array;
  /** First user key after the piece (exclusive). */
  readonly end: Uint8Array;
  /** Covering sequences, newest first (never empty). */
  readonly sequences: readonly number[];
}

const NONE: readonly number[] = [];

/**
 * An immutable, fragmented set of range tombstones. Build cost O(n log n) plus the total number of
 * (fragment, sequence) pairs; a lookup is a binary search over the fragment boundaries.
 */
export class RangeTombstoneIndex {
  /** Fragment boundaries, ascending; fragment `i` is `[bounds[i], bounds[i + 1])`. */
  private readonly bounds: Uint8Array[];
  /** Covering sequences of fragment `i`, descending (empty for a gap between tombstones). */
  private readonly covers: (readonly number[])[];

  constructor(
    private readonly ucmp: Comparator,
    tombstones: readonly RangeTombstone[],
  ) {
    const live = tombstones.filter((t) => ucmp.compare(t.start, t.end) < 0);
    const points: Uint8Array[] = [];
    for (const t of live) points.push(t.start, t.end);
    points.sort((a, b) => ucmp.compare(a, b));
    const bounds: Uint8Array[] = [];
    for (const p of points) {
      if (bounds.length === 0 || ucmp.compare(bounds[bounds.length - 1], p) !== 0) bounds.push(p);
    }
    const covers: number[][] = [];
    for (let i = 0; i + 1 < bounds.length; i++) covers.push([]);
    for (const t of live) {
      const first = this.search(bounds, t.start);
      for (let i = first; i < covers.length && ucmp.compare(bounds[i], t.end) < 0; i++) {
        covers[i].push(t.sequence);
      }
    }
    for (const c of covers) c.sort((a, b) => b - a);
    this.bounds = bounds;
    this.covers = covers;
  }

  /** True when the index holds no tombstone. */
  get empty(): boolean {
    return this.covers.length === 0;
  }

  /** Index of the last boundary <= `key`, or -1. */
  private search(bounds: readonly Uint8Array[], key: Uint8Array): number {
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ucmp.compare(bounds[mid], key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The covering sequences of `key`'s fragment, newest first (empty when none covers it). */
  coversOf(key: Uint8Array): readonly number[] {
    const i = this.search(this.bounds, key);
    return i < 0 || i >= this.covers.length ? NONE : this.covers[i];
  }

  /**
   * The sequence of the newest tombstone covering `key` with sequence <= `sequence`, or -1: an entry
   * of `key` with a smaller sequence is deleted for a reader at `sequence`.
   */
  coveringSequence(key: Uint8Array, sequence: number): number {
    const c = this.coversOf(key);
    for (let i = 0; i < c.length; i++) if (c[i] <= sequence) return c[i];
    return -1;
  }

  /** The non-empty fragments, in key order. */
  fragments(): TombstoneFragment[] {
    const out: TombstoneFragment[] = [];
    for (let i = 0; i < this.covers.length; i++) {
      if (this.covers[i].length > 0)
        out.push({ start: this.bounds[i], end: this.bounds[i + 1], sequences: this.covers[i] });
    }
    return out;
  }
}

/** The newest covering sequence of `key` at `sequence` over several indexes (-1 when none covers it). */
export function coveringSequenceOf(
  indexes: readonly RangeTombstoneIndex[],
  key: Uint8Array,
  sequence: number,
): number {
  let best = -1;
  for (let i = 0; i < indexes.length; i++) {
    const s = indexes[i].coveringSequence(key, sequence);
    if (s > best) best = s;
  }
  return best;
}

/**
 * The internal key a table's recorded range starts at for a tombstone starting at `userKey`: the
 * first internal key of that user key (newest sequence, seek kind).
 */
export function rangeBoundKey(userKey: Uint8Array): Uint8Array {
  return makeInternalKey(userKey, MAX_SEQUENCE, KIND_FOR_SEEK);
}

/**
 * The internal key a table's recorded range must reach for a tombstone ending (exclusively) at `end`.
 * In byte order, an end `x + 0x00` has an immediate predecessor `x`, the last key covered: the answer
 * is then the last internal key of `x` (sequence 0, kind 0), so a table ending there and the next one
 * starting at `x + 0x00` do not share a user key. Otherwise no predecessor exists and the answer is
 * the first internal key of `end` itself, a conservative over-estimate by one user key.
 */
export function rangeEndKey(ucmp: Comparator, end: Uint8Array): Uint8Array {
  if (ucmp.compare === compareBytes && end.length > 0 && end[end.length - 1] === 0)
    return makeInternalKey(end.subarray(0, end.length - 1), 0, ValueKind.Delete);
  return rangeBoundKey(end);
}

/** The internal keys a table's recorded range must reach to cover a set of tombstones. */
export interface TombstoneBounds {
  /** At most this: the first internal key of the smallest start. */
  smallest: Uint8Array;
  /** At least this: {@link rangeEndKey} of the largest end. */
  largest: Uint8Array;
}

/**
 * The smallest start and largest end of `tombstones`, as internal keys for a table's recorded range
 * (see {@link rangeBoundKey} and {@link rangeEndKey}); undefined for none.
 */
export function rangeTombstoneBounds(
  ucmp: Comparator,
  tombstones: readonly RangeTombstone[],
): TombstoneBounds | undefined {
  if (tombstones.length === 0) return undefined;
  let start = tombstones[0].start;
  let end = tombstones[0].end;
  for (const t of tombstones) {
    if (ucmp.compare(t.start, start) < 0) start = t.start;
    if (ucmp.compare(t.end, end) > 0) end = t.end;
  }
  return { smallest: rangeBoundKey(start), largest: rangeEndKey(ucmp, end) };
}
