/**
 * CRC-32C (Castagnoli, polynomial 0x82F63B78 reflected), the checksum of every Velocity block and log
 * record, computed with slice-by-8 tables in plain TypeScript. The choice over a package is measured by
 * `packages/core/bench/crc32c.bench.ts`.
 *
 * LevelDB masks stored CRCs (rotate right by 15 and add a constant) because computing the CRC of a
 * string that contains embedded CRCs is weak; Velocity stores masked CRCs the same way.
 * @module
 */

const POLY = 0x82f63b78;
const TABLES: Uint32Array[] = (() => {
  const tables: Uint32Array[] = [];
  const t0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t0[i] = c >>> 0;
  }
  tables.push(t0);
  for (let t = 1; t < 8; t++) {
    const prev = tables[t - 1];
    const next = new Uint32Array(256);
    for (let i = 0; i < 256; i++) next[i] = (prev[i] >>> 8) ^ t0[prev[i] & 0xff];
    tables.push(next);
  }
  return tables;
})();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;

/**
 * Extends `crc` (the CRC-32C of some earlier bytes, 0 for none) with `data[start, end)`.
 */
export function crc32cExtend(crc: number, data: Uint8Array, start = 0, end: number = data.length): number {
  let c = ~crc >>> 0;
  let i = start;
  const fast = end - ((end - i) & 7);
  while (i < fast) {
    const lo = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) ^ c;
    c =
      T7[lo & 0xff] ^
      T6[(lo >>> 8) & 0xff] ^
      T5[(lo >>> 16) & 0xff] ^
      T4[lo >>> 24] ^
      T3[data[i + 4]] ^
      T2[data[i + 5]] ^
      T1[data[i + 6]] ^
      T0[data[i + 7]];
    i += 8;
  }
  while (i < end) c = T0[(c ^ data[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
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
