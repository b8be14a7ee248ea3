/**
 * The range-deletion block of a table (format version 3): the table's range tombstones, one entry
 * each, in a block of the ordinary layout with a restart point at every entry.
 *
 * ```
 * entry key   = start user key | trailer: fixed64 little-endian of (sequence << 8 | 15)
 * entry value = end user key (exclusive)
 * ```
 *
 * Entries are written sorted by start key bytes, then sequence descending. The block is referenced
 * from the metaindex under `velocity.range_del` and stored uncompressed with the usual trailer.
 * @module
 */
import {
  RANGE_DELETE_KIND,
  type RangeTombstone,
  TRAILER_SIZE,
  type ValueKind,
  bytewiseComparator,
  compareBytes,
  corruption,
  encodeTrailer,
  extractSequence,
} from '@velocity/core';
import { Block } from './block.js';
import { BlockBuilder } from './block-builder.js';

/** Metaindex key of the range-deletion block. */
export const RANGE_DEL_BLOCK_NAME = 'velocity.range_del';

/** The table format version of tables that carry a range-deletion block. */
export const RANGE_DEL_TABLE_FORMAT_VERSION = 3;

/** Encodes tombstones as a range-deletion block. */
export function encodeRangeDelBlock(tombstones: readonly RangeTombstone[]): Uint8Array {
  const sorted = [...tombstones].sort((a, b) => compareBytes(a.start, b.start) || b.sequence - a.sequence);
  const builder = new BlockBuilder(1);
  for (const t of sorted) {
    const key = new Uint8Array(t.start.length + TRAILER_SIZE);
    key.set(t.start, 0);
    encodeTrailer(key, t.start.length, t.sequence, RANGE_DELETE_KIND as ValueKind);
    builder.add(key, t.end);
  }
  return builder.finish();
}

/** Decodes a range-deletion block; throws `CORRUPTION` when an entry is malformed. */
export function decodeRangeDelBlock(contents: Uint8Array, path?: string): RangeTombstone[] {
  const out: RangeTombstone[] = [];
  const it = new Block(contents).iterator(bytewiseComparator);
  for (it.seekToFirst(); it.valid(); it.next()) {
    const key = it.key();
    if (key.length < TRAILER_SIZE || key[key.length - TRAILER_SIZE] !== RANGE_DELETE_KIND)
      throw corruption('malformed entry in range-deletion block', path);
    const start = key.slice(0, key.length - TRAILER_SIZE);
    const end = it.value().slice();
    out.push({ start, end, sequence: extractSequence(key) });
  }
  return out;
}
