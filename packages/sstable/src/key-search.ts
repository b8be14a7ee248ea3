import type { RangeCompare } from './range-compare.js';

/**
 * Binary search over keys `from` to `to` (exclusive) stored back to back in `keys` (key `i` is
 * `keys[starts[i], starts[i + 1])`): the first key >= `target`, or `to` when every key is smaller.
 * `trailer` is the comparator's bytewise trailer size (see `bytewiseTrailerSize`), -1 when its order
 * is not bytewise up to a trailer: then every comparison goes through `compareRange`; otherwise the
 * parts before the trailer are compared inline, byte by byte, and only ties reach `compareRange`.
 */
export function searchKeys(
  keys: Uint8Array,
  starts: Uint32Array,
  from: number,
  to: number,
  target: Uint8Array,
  trailer: number,
  compareRange: RangeCompare,
): number {
  let lo = from;
  let hi = to;
  if (trailer < 0 || target.length < trailer) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareRange(keys, starts[mid], starts[mid + 1], target) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  const targetUser = target.length - trailer;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = starts[mid];
    const end = starts[mid + 1];
    const userLength = end - start - trailer;
    let c: number;
    if (userLength < 0) {
      c = compareRange(keys, start, end, target);
    } else {
      const n = userLength < targetUser ? userLength : targetUser;
      let i = 0;
      while (i < n && keys[start + i] === target[i]) i++;
      if (i < n) c = keys[start + i] - target[i];
      else if (userLength !== targetUser) c = userLength - targetUser;
      else c = trailer === 0 ? 0 : compareRange(keys, start, end, target);
    }
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
