import { corruption } from '@velocity/core';

/**
 * A bounds-checked decoder of the LZ4 block format (sequences of token, literals, 2-byte offset and
 * match length). Written here rather than taken from `lz4js`, whose decoder trusts its input: malformed
 * bytes must raise `CORRUPTION`, never write past the output or loop.
 *
 * Decodes `src[start, end)` into `dst` and returns the number of bytes written.
 */
export function decodeLz4Block(src: Uint8Array, start: number, end: number, dst: Uint8Array): number {
  let s = start;
  let d = 0;
  const dEnd = dst.length;
  for (;;) {
    if (s >= end) throw corruption('lz4: truncated sequence');
    const token = src[s++];
    let literals = token >>> 4;
    if (literals === 15) {
      let byte: number;
      do {
        if (s >= end) throw corruption('lz4: truncated literal length');
        byte = src[s++];
        literals += byte;
      } while (byte === 255);
    }
    if (literals > end - s || literals > dEnd - d) throw corruption('lz4: literals out of range');
    if (literals < 32) {
      for (let i = 0; i < literals; i++) dst[d + i] = src[s + i];
    } else {
      dst.set(src.subarray(s, s + literals), d);
    }
    s += literals;
    d += literals;
    if (s === end) return d; // the last sequence holds literals only
    if (end - s < 2) throw corruption('lz4: truncated match offset');
    const offset = src[s] | (src[s + 1] << 8);
    s += 2;
    if (offset === 0 || offset > d) throw corruption('lz4: match offset out of range');
    let matchLength = token & 15;
    if (matchLength === 15) {
      let byte: number;
      do {
        if (s >= end) throw corruption('lz4: truncated match length');
        byte = src[s++];
        matchLength += byte;
      } while (byte === 255);
    }
    matchLength += 4;
    if (matchLength > dEnd - d) throw corruption('lz4: match past the end of the output');
    let from = d - offset;
    if (offset >= matchLength && matchLength >= 32) {
      dst.copyWithin(d, from, from + matchLength);
      d += matchLength;
    } else {
      // Overlapping (or short) match: copy byte by byte so repeated patterns expand correctly.
      const stop = d + matchLength;
      while (d < stop) dst[d++] = dst[from++];
    }
  }
}

/** Encodes `src` as one LZ4 block of literals only (for input the compressor found no match in). */
export function encodeLz4Literals(src: Uint8Array, dst: Uint8Array, start: number): number {
  let d = start;
  const n = src.length;
  if (n >= 15) {
    dst[d++] = 15 << 4;
    let rest = n - 15;
    while (rest >= 255) {
      dst[d++] = 255;
      rest -= 255;
    }
    dst[d++] = rest;
  } else {
    dst[d++] = n << 4;
  }
  dst.set(src, d);
  return d + n;
}
