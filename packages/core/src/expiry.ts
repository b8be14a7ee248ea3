/**
 * Values with an expiry time: the stored form of a put with a time to live (`ValueKind.PutWithExpiry`).
 *
 * ```
 * stored value = expires at (fixed64 little-endian, milliseconds since the Unix epoch) | user value
 * ```
 *
 * A value is expired when `now >= expires at`. Puts without an expiry keep `ValueKind.Put` and their
 * value as given: no prefix, no cost.
 * @module
 */
import { decodeFixed64, encodeFixed64 } from './coding.js';
import { corruption } from './errors.js';

/** Bytes of the expiry prefix of a `PutWithExpiry` value. */
export const EXPIRY_PREFIX_SIZE = 8;

/** Largest expiry time that can be stored (2^53 - 1 milliseconds). */
export const MAX_EXPIRES_AT = Number.MAX_SAFE_INTEGER;

/** Writes the expiry prefix (`expiresAt`, 0..2^53-1) into `buf` at `offset`. */
export function encodeExpiry(buf: Uint8Array, offset: number, expiresAt: number): void {
  encodeFixed64(buf, offset, expiresAt);
}

/** The stored form of `value` expiring at `expiresAt`: the prefix, then the value. */
export function withExpiry(value: Uint8Array, expiresAt: number): Uint8Array {
  const out = new Uint8Array(EXPIRY_PREFIX_SIZE + value.length);
  encodeExpiry(out, 0, expiresAt);
  out.set(value, EXPIRY_PREFIX_SIZE);
  return out;
}

/**
 * The expiry time of the stored value in `buf[start, end)`. Throws `CORRUPTION` when it is shorter
 * than the prefix.
 */
export function decodeExpiry(buf: Uint8Array, start = 0, end = buf.length): number {
  if (end - start < EXPIRY_PREFIX_SIZE) throw corruption('value with expiry shorter than its 8-byte prefix');
  return decodeFixed64(buf, start);
}
