/**
 * Time to live on the read side: what a stored put shows a reader, given its kind and the clock.
 * Plain puts never look at the clock; only values with an expiry prefix do.
 * @module
 */
import { EXPIRY_PREFIX_SIZE, ValueKind, copyBytes, decodeExpiry } from '@velocity/core';

/**
 * The value a reader sees in the entry of `kind` whose stored value is `buf[start, end)`: a copy of
 * it (without the expiry prefix), or undefined for a deletion or a value expired by `clock()`.
 */
export function liveValue(
  kind: number,
  buf: Uint8Array,
  start: number,
  end: number,
  clock: () => number,
): Uint8Array | undefined {
  if (kind === ValueKind.Put) return copyBytes(buf, start, end);
  if (kind !== ValueKind.PutWithExpiry || isExpired(buf, start, end, clock)) return undefined;
  return copyBytes(buf, start + EXPIRY_PREFIX_SIZE, end);
}

/** True when the stored value with expiry `buf[start, end)` has expired by `clock()`. */
export function isExpired(buf: Uint8Array, start: number, end: number, clock: () => number): boolean {
  return decodeExpiry(buf, start, end) <= clock();
}
