import type { RangeCompare } from './range-compare.js';

/**
 * Binary search over keys `from` to `to` (exclusive) stored in `keys`, key `i` being
 * `keys[starts[stride × i], starts[stride × i + 1])` (stride 1: keys back to back; stride 2: the
 * interleaved bounds of `FlatEntries`): the first key >= `target`, or `to` when every key is smaller.
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
  stride = 1,
): number {
  let lo = from;
  let hi = to;
  if (trailer < 0 || target.length < trailer) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = stride * mid;
      if (compareRange(keys, starts[at], starts[at + 1], target) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  const targetUser = target.length - trailer;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = stride * mid;
    const start = starts[at];
    const end = starts[at + 1];
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
