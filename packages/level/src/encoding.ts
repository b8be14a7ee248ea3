/**
 * Conversions between the encodings abstract-level hands to the private API (`'buffer'`, `'view'`,
 * `'utf8'`) and the bytes Velocity stores.
 * @module
 */
import { fromUtf8, utf8 } from '@velocity/core';

/** Bytes of an already-encoded key or value (a string in the `'utf8'` format, bytes otherwise). */
export function toStoredBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? utf8(data) : data;
}

/** Converts stored bytes to what abstract-level expects for `format`. */
export function fromStoredBytes(bytes: Uint8Array, format: string): Uint8Array | string {
  if (format === 'utf8') return fromUtf8(bytes);
  if (format === 'buffer') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes;
}
