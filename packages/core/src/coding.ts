/**
 * Integer and slice encodings shared by every Velocity file format, identical in layout to LevelDB's:
 *
 * - fixed32 / fixed64: little-endian, 4 or 8 bytes.
 * - varint32 / varint64: 7 bits per byte, least significant group first, high bit set on every byte
 *   but the last (at most 5 bytes for 32-bit values, 10 for 64-bit values).
 * - length-prefixed slice: varint32 length, then that many bytes.
 *
 * 64-bit values are JavaScript numbers, so they are limited to `Number.MAX_SAFE_INTEGER` (2^53 - 1);
 * a stored value above that is reported as corruption rather than silently rounded.
 * @module
 */
import { corruption } from './errors.js';

const TWO_POW_32 = 0x1_0000_0000;

/** Writes `value` (0..2^32-1) little-endian at `offset`. */
export function encodeFixed32(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = value & 0xff;
  buf[offset + 1] = (value >>> 8) & 0xff;
  buf[offset + 2] = (value >>> 16) & 0xff;
  buf[offset + 3] = (value >>> 24) & 0xff;
}

/** Reads a little-endian 32-bit unsigned value at `offset`. The caller checks bounds. */
export function decodeFixed32(buf: Uint8Array, offset: number): number {
  return (buf[offset] | (buf[offset + 1] << 8) | (buf[offset + 2] << 16) | (buf[offset + 3] << 24)) >>> 0;
}

/** Writes `value` (0..2^53-1) as a little-endian 64-bit integer at `offset`. */
export function encodeFixed64(buf: Uint8Array, offset: number, value: number): void {
  const low = value % TWO_POW_32;
  encodeFixed32(buf, offset, low);
  encodeFixed32(buf, offset + 4, (value - low) / TWO_POW_32);
}

/** Reads a little-endian 64-bit value at `offset`; throws `CORRUPTION` above 2^53-1. */
export function decodeFixed64(buf: Uint8Array, offset: number): number {
  const low = decodeFixed32(buf, offset);
  const high = decodeFixed32(buf, offset + 4);
  if (high > 0x1f_ffff) throw corruption('fixed64 value exceeds 2^53-1');
  return high * TWO_POW_32 + low;
}

/** Number of bytes the varint encoding of `value` takes. */
export function varintLength(value: number): number {
  let n = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
}

/** Writes `value` as a varint at `offset` and returns the offset after it. */
export function encodeVarint(buf: Uint8Array, offset: number, value: number): number {
  while (value >= 128) {
    buf[offset++] = (value % 128) | 128;
    value = Math.floor(value / 128);
  }
  buf[offset++] = value;
  return offset;
}

/** Result slot of the decode functions, reused to avoid allocating on hot paths. */
export interface DecodeResult {
  /** The decoded value. */
  value: number;
  /** The offset just after the encoded value. */
  offset: number;
}

/**
 * Decodes a varint of at most `maxBytes` bytes (5 for varint32, 10 for varint64) from `buf` at
 * `offset`, not reading at or past `limit`. Writes into `out` and returns it. Throws `CORRUPTION` on a
 * truncated, overlong or out-of-range encoding.
 */
export function decodeVarint(
  buf: Uint8Array,
  offset: number,
  limit: number,
  maxBytes: 5 | 10,
  out: DecodeResult,
): DecodeResult {
  let result = 0;
  let multiplier = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (offset >= limit) throw corruption('truncated varint');
    const byte = buf[offset++];
    result += (byte & 0x7f) * multiplier;
    if (byte < 128) {
      if (maxBytes === 5 ? result > 0xffff_ffff : result > Number.MAX_SAFE_INTEGER) {
        throw corruption('varint value out of range');
      }
      out.value = result;
      out.offset = offset;
      return out;
    }
    multiplier *= 128;
  }
  throw corruption('overlong varint');
}

/**
 * Appends encoded values to a growing buffer. `finish()` returns a view of exactly what was written.
 */
export class ByteWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends one byte. */
  putByte(value: number): this {
    this.ensure(1);
    this.buf[this.pos++] = value;
    return this;
  }

  /** Appends a little-endian 32-bit value. */
  putFixed32(value: number): this {
    this.ensure(4);
    encodeFixed32(this.buf, this.pos, value);
    this.pos += 4;
    return this;
  }

  /** Appends a little-endian 64-bit value (at most 2^53-1). */
  putFixed64(value: number): this {
    this.ensure(8);
    encodeFixed64(this.buf, this.pos, value);
    this.pos += 8;
    return this;
  }

  /** Appends a varint32 (0..2^32-1). */
  putVarint32(value: number): this {
    if (!(value >= 0 && value <= 0xffff_ffff && Number.isInteger(value))) {
      throw new RangeError(`varint32 out of range: ${value}`);
    }
    this.ensure(5);
    this.pos = encodeVarint(this.buf, this.pos, value);
    return this;
  }

  /** Appends a varint64 (0..2^53-1). */
  putVarint64(value: number): this {
    if (!(value >= 0 && Number.isSafeInteger(value))) throw new RangeError(`varint64 out of range: ${value}`);
    this.ensure(10);
    this.pos = encodeVarint(this.buf, this.pos, value);
    return this;
  }

  /** Appends raw bytes. */
  putBytes(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** Appends a varint32 length followed by the bytes. */
  putLengthPrefixed(bytes: Uint8Array): this {
    this.putVarint32(bytes.length);
    return this.putBytes(bytes);
  }

  /** Forgets everything written, keeping the allocated buffer. */
  reset(): void {
    this.pos = 0;
  }

  /** A view of the bytes written so far (shares memory until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/**
 * Reads encoded values from a byte range, checking bounds on every read: truncated or malformed input
 * throws `CORRUPTION`, never yields garbage.
 */
export class ByteReader {
  /** Current read position (absolute offset in the underlying buffer). */
  pos: number;
  private readonly slot: DecodeResult = { value: 0, offset: 0 };

  /**
   * @param buf the bytes to read.
   * @param start offset of the first byte to read.
   * @param end offset just past the last byte that may be read.
   */
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end: number = buf.length,
  ) {
    this.pos = start;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) throw corruption(`truncated ${what}`);
  }

  /** Reads one byte. */
  readByte(): number {
    this.need(1, 'byte');
    return this.buf[this.pos++];
  }

  /** Reads a little-endian 32-bit value. */
  readFixed32(): number {
    this.need(4, 'fixed32');
    const v = decodeFixed32(this.buf, this.pos);
    this.pos += 4;
    return v;
  }

  /** Reads a little-endian 64-bit value (at most 2^53-1). */
  readFixed64(): number {
    this.need(8, 'fixed64');
    const v = decodeFixed64(this.buf, this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a varint32. */
  readVarint32(): number {
    decodeVarint(this.buf, this.pos, this.end, 5, this.slot);
    this.pos = this.slot.offset;
    return this.slot.value;
  }

  /** Reads a varint64 (at most 2^53-1). */
  readVarint64(): number {
    decodeVarint(this.buf, this.pos, this.end, 10, this.slot);
    this.pos = this.slot.offset;
    return this.slot.value;
  }

  /** Reads `n` raw bytes as a view into the buffer (no copy). */
  readBytes(n: number): Uint8Array {
    this.need(n, 'bytes');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads a varint32 length and that many bytes, as a view. */
  readLengthPrefixed(): Uint8Array {
    return this.readBytes(this.readVarint32());
  }
}
