/**
 * The encoded form of a write batch, LevelDB's `WriteBatch` layout, which is also what one
 * write-ahead-log record holds:
 *
 * ```
 * batch  = sequence (fixed64) | count (fixed32) | record*
 * record = kind (1 byte: 1 put, 2 put with expiry, 0 delete, 15 range delete)
 *          | key length (varint32) | key
 *          [| value length (varint32) | value]          (puts only)
 *          [| end length (varint32) | end]              (range deletes: key is the start, end exclusive)
 * ```
 *
 * The value of a put with expiry (kind 2) starts with the 8-byte expiry prefix (`expiry.ts` in
 * `@velocity/core`); its length counts the prefix.
 *
 * Records get consecutive sequence numbers starting at the header's sequence.
 * @module
 */
import type { MemTable } from '@velocity/memtable';
import {
  EXPIRY_PREFIX_SIZE,
  RANGE_DELETE_KIND,
  ValueKind,
  corruption,
  decodeFixed32,
  decodeFixed64,
  decodeVarint,
  encodeFixed32,
  encodeFixed64,
  encodeVarint,
  invalidArgument,
  varintLength,
  withExpiry,
} from '@velocity/core';
import { MAX_KEY_SIZE, MAX_VALUE_SIZE, checkAttached } from './input.js';
import { addMemRangeTombstone } from './range-deletions.js';

/** Bytes of the batch header (sequence and count). */
export const BATCH_HEADER_SIZE = 12;

const encoder = new TextEncoder();
const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * A growable buffer holding one encoded batch. Strings are UTF-8 encoded straight into the buffer.
 * `length`/`count` may be rolled back with {@link BatchBuffer.truncate} to undo a partly added batch.
 */
export class BatchBuffer {
  /** The bytes; valid in `[0, length)`. */
  buf: Uint8Array;
  /** Bytes used, header included. */
  length = BATCH_HEADER_SIZE;
  /** Records held. */
  count = 0;
  /** Key and value bytes held (for statistics). */
  payloadBytes = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(64, initialCapacity));
  }

  /** Empties the buffer (keeps its memory). */
  reset(): void {
    this.length = BATCH_HEADER_SIZE;
    this.count = 0;
    this.payloadBytes = 0;
  }

  /** Undoes everything added after the buffer had `length` bytes and `count` records. */
  truncate(length: number, count: number, payloadBytes: number): void {
    this.length = length;
    this.count = count;
    this.payloadBytes = payloadBytes;
  }

  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** Appends a length-prefixed string or byte array; returns its byte length. */
  private putSlice(data: Uint8Array | string, max: number, what: string): number {
    if (typeof data !== 'string') {
      const n = data.length;
      if (n === 0) checkAttached(data, what);
      if (n > max) throw invalidArgument(`${what} of ${n} bytes exceeds the maximum of ${max}`);
      this.ensure(5 + n);
      const buf = this.buf;
      const o = encodeVarint(buf, this.length, n);
      buf.set(data, o);
      this.length = o + n;
      return n;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit: reserve the prefix for that bound, encode in
    // place, then close the gap if the real length needs a shorter prefix.
    const bound = data.length * 3;
    const reserved = varintLength(bound);
    this.ensure(reserved + bound);
    const buf = this.buf;
    const start = this.length + reserved;
    const n = encoder.encodeInto(data, buf.subarray(start)).written;
    if (n > max) throw invalidArgument(`${what} of ${n} bytes exceeds the maximum of ${max}`);
    const prefix = varintLength(n);
    if (prefix < reserved) buf.copyWithin(this.length + prefix, start, start + n);
    encodeVarint(buf, this.length, n);
    this.length += prefix + n;
    return n;
  }

  /**
   * Appends a put, expiring at `expiresAt` (milliseconds since the epoch) when given. Throws
   * `INVALID_ARGUMENT` (and adds nothing) for an oversized key or value.
   */
  put(key: Uint8Array | string, value: Uint8Array | string, expiresAt?: number): void {
    const length = this.length;
    this.ensure(1);
    this.buf[this.length++] = expiresAt === undefined ? ValueKind.Put : ValueKind.PutWithExpiry;
    try {
      this.payloadBytes += this.putSlice(key, MAX_KEY_SIZE, 'key');
      if (expiresAt === undefined) this.payloadBytes += this.putSlice(value, MAX_VALUE_SIZE, 'value');
      else this.payloadBytes += this.putExpiring(value, expiresAt);
    } catch (error) {
      this.length = length;
      throw error;
    }
    this.count++;
  }

  /** Appends the value of a put with expiry: its prefix, then the value. Returns the value's length. */
  private putExpiring(value: Uint8Array | string, expiresAt: number): number {
    const bytes = typeof value === 'string' ? encoder.encode(value) : value;
    if (bytes.length > MAX_VALUE_SIZE) {
      throw invalidArgument(`value of ${bytes.length} bytes exceeds the maximum of ${MAX_VALUE_SIZE}`);
    }
    if (bytes.length === 0) checkAttached(bytes, 'value');
    this.putSlice(withExpiry(bytes, expiresAt), MAX_VALUE_SIZE + EXPIRY_PREFIX_SIZE, 'value');
    return bytes.length;
  }

  /** Appends a deletion. Throws `INVALID_ARGUMENT` (and adds nothing) for an oversized key. */
  del(key: Uint8Array | string): void {
    const length = this.length;
    this.ensure(1);
    this.buf[this.length++] = ValueKind.Delete;
    try {
      this.payloadBytes += this.putSlice(key, MAX_KEY_SIZE, 'key');
    } catch (error) {
      this.length = length;
      throw error;
    }
    this.count++;
  }

  /**
   * Appends a range deletion of `[start, end)` (one record, one sequence number). Throws
   * `INVALID_ARGUMENT` (and adds nothing) for an oversized key. The caller checks the order.
   */
  deleteRange(start: Uint8Array | string, end: Uint8Array | string): void {
    const length = this.length;
    const payload = this.payloadBytes;
    this.ensure(1);
    this.buf[this.length++] = RANGE_DELETE_KIND;
    try {
      this.payloadBytes += this.putSlice(start, MAX_KEY_SIZE, 'start');
      this.payloadBytes += this.putSlice(end, MAX_KEY_SIZE, 'end');
    } catch (error) {
      this.length = length;
      this.payloadBytes = payload;
      throw error;
    }
    this.count++;
  }

  /** Appends the records (not the header) of another buffer. */
  append(other: BatchBuffer): void {
    const n = other.length - BATCH_HEADER_SIZE;
    this.ensure(n);
    this.buf.set(other.buf.subarray(BATCH_HEADER_SIZE, other.length), this.length);
    this.length += n;
    this.count += other.count;
    this.payloadBytes += other.payloadBytes;
  }

  /** Writes the header for records numbered from `sequence`; returns a view of the whole batch. */
  seal(sequence: number): Uint8Array {
    encodeFixed64(this.buf, 0, sequence);
    encodeFixed32(this.buf, 8, this.count);
    return this.buf.subarray(0, this.length);
  }
}

/** Header fields of an encoded batch. */
export interface BatchHeader {
  sequence: number;
  count: number;
}

/** Reads the header of an encoded batch; throws `CORRUPTION` when it is too short. */
export function readBatchHeader(batch: Uint8Array): BatchHeader {
  if (batch.length < BATCH_HEADER_SIZE) throw corruption('write batch shorter than its header');
  return { sequence: decodeFixed64(batch, 0), count: decodeFixed32(batch, 8) };
}

const slot = { value: 0, offset: 0 };

/**
 * Inserts every record of an encoded batch into `mem` with consecutive sequence numbers from
 * `sequence` (or from the header's when undefined). Throws `CORRUPTION` when the records are
 * malformed or their number differs from the header's count; with `validateOnly` nothing is inserted.
 * Returns the number of records.
 */
export function applyBatch(
  batch: Uint8Array,
  length: number,
  mem: MemTable | undefined,
  sequence: number = decodeFixed64(batch, 0),
): number {
  if (length < BATCH_HEADER_SIZE) throw corruption('write batch shorter than its header');
  const expected = decodeFixed32(batch, 8);
  let offset = BATCH_HEADER_SIZE;
  let n = 0;
  while (offset < length) {
    const kind = batch[offset++];
    if (
      kind !== ValueKind.Put &&
      kind !== ValueKind.Delete &&
      kind !== ValueKind.PutWithExpiry &&
      kind !== RANGE_DELETE_KIND
    )
      throw corruption(`bad batch record kind ${kind}`);
    decodeVarint(batch, offset, length, 5, slot);
    const keyStart = slot.offset;
    const keyEnd = keyStart + slot.value;
    if (keyEnd > length) throw corruption('truncated key in write batch');
    let valueStart = keyEnd;
    let valueEnd = keyEnd;
    offset = keyEnd;
    if (kind === RANGE_DELETE_KIND) {
      decodeVarint(batch, offset, length, 5, slot);
      const endEnd = slot.offset + slot.value;
      if (endEnd > length) throw corruption('truncated range end in write batch');
      if (mem !== undefined)
        addMemRangeTombstone(
          mem,
          batch.subarray(keyStart, keyEnd),
          batch.subarray(slot.offset, endEnd),
          sequence + n,
        );
      offset = endEnd;
      n++;
      continue;
    }
    if (kind !== ValueKind.Delete) {
      decodeVarint(batch, offset, length, 5, slot);
      valueEnd = slot.offset + slot.value;
      if (valueEnd > length) throw corruption('truncated value in write batch');
      if (kind === ValueKind.PutWithExpiry && slot.value < EXPIRY_PREFIX_SIZE)
        throw corruption('value with expiry shorter than its prefix in write batch');
      valueStart = slot.offset;
      offset = valueEnd;
    }
    if (mem !== undefined) {
      if (mem.addFrom !== undefined)
        mem.addFrom(sequence + n, kind, batch, keyStart, keyEnd, batch, valueStart, valueEnd);
      else
        mem.add(
          sequence + n,
          kind,
          batch.subarray(keyStart, keyEnd),
          valueStart === valueEnd ? EMPTY : batch.subarray(valueStart, valueEnd),
        );
    }
    n++;
  }
  if (n !== expected) throw corruption(`write batch count ${expected} but ${n} records`);
  return n;
}
