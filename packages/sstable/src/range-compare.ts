import { type Comparator, TRAILER_SIZE, bytewiseComparator, compareByteRanges } from '@velocity/core';

/**
 * Compares `a[aStart, aEnd)` with the whole of `b` in a comparator's order, without creating a view of
 * `a`. Creating a `subarray` per comparison was the largest cost of seeking in a block.
 */
export type RangeCompare = (a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array) => number;

const INTERNAL_BYTEWISE = `velocity.InternalKeyComparator:${bytewiseComparator.name}`;

/**
 * An in-place comparison for `comparator`: direct for the bytewise order and for internal keys over
 * it (both recognised by their persisted names, which fix the order), through a view otherwise.
 */
export function rangeCompareFor(comparator: Comparator): RangeCompare {
  let compare = cache.get(comparator);
  if (compare === undefined) {
    compare = makeRangeCompare(comparator);
    cache.set(comparator, compare);
  }
  return compare;
}

const cache = new WeakMap<Comparator, RangeCompare>();

function makeRangeCompare(comparator: Comparator): RangeCompare {
  if (comparator.name === bytewiseComparator.name) {
    return (a, aStart, aEnd, b) => compareByteRanges(a, aStart, aEnd, b, 0, b.length);
  }
  if (comparator.name === INTERNAL_BYTEWISE) {
    return (a, aStart, aEnd, b) => {
      if (aEnd - aStart < TRAILER_SIZE || b.length < TRAILER_SIZE) {
        return comparator.compare(a.subarray(aStart, aEnd), b);
      }
      const bUser = b.length - TRAILER_SIZE;
      const r = compareByteRanges(a, aStart, aEnd - TRAILER_SIZE, b, 0, bUser);
      if (r !== 0) return r;
      // Trailers (sequence << 8 | kind, little-endian) order descending: larger trailer first.
      const aTrailer = aEnd - TRAILER_SIZE;
      for (let i = TRAILER_SIZE - 1; i >= 0; i--) {
        const d = b[bUser + i] - a[aTrailer + i];
        if (d !== 0) return d;
      }
      return 0;
    };
  }
  return (a, aStart, aEnd, b) => comparator.compare(a.subarray(aStart, aEnd), b);
}

/**
 * The trailer length when `comparator` orders keys bytewise up to a fixed-size trailer: 0 for the
 * bytewise comparator, 8 for internal keys over it, undefined for any other order. Within the part
 * before the trailer such orders agree with byte order, which lets a block scan skip comparisons
 * (see `BlockIterator.seek`).
 */
export function bytewiseTrailerSize(comparator: Comparator): number | undefined {
  if (comparator.name === bytewiseComparator.name) return 0;
  if (comparator.name === INTERNAL_BYTEWISE) return TRAILER_SIZE;
  return undefined;
}
