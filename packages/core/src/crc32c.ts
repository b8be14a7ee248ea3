/**
 * CRC-32C (Castagnoli), the checksum of every Velocity block and log record.
 *
 * Computed by the `crc-32` package's CRC-32C build (pure JavaScript, slice-by-16 tables): measured
 * with `bench/crc32c.mjs` on Node 20, it ran 1.7-1.8 GB/s against 0.95-1.0 GB/s for Velocity's own
 * slice-by-8 (kept in the benchmark as the baseline) and 0.12 GB/s for `@aws-crypto/crc32c`.
 *
 * LevelDB masks stored CRCs (rotate right by 15 and add a constant) because computing the CRC of a
 * string that contains embedded CRCs is weak; Velocity stores masked CRCs the same way.
 * @module
 */
import CRC32C from 'crc-32/crc32c.js';

/**
 * Extends `crc` (the CRC-32C of some earlier bytes, 0 for none) with `data[start, end)`.
 */
export function crc32cExtend(crc: number, data: Uint8Array, start = 0, end: number = data.length): number {
  const slice = start === 0 && end === data.length ? data : data.subarray(start, end);
  return CRC32C.buf(slice, crc | 0) >>> 0;
}

/** CRC-32C of `data[start, end)`. `crc32c(utf8('123456789')) === 0xE3069283`. */
export function crc32c(data: Uint8Array, start = 0, end: number = data.length): number {
  return crc32cExtend(0, data, start, end);
}

const MASK_DELTA = 0xa282ead8;

/** Masks a CRC for storage (rotate right 15 bits, add a constant), as LevelDB does. */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** Inverse of {@link maskCrc}. */
export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}
