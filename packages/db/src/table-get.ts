/**
 * Point lookups in the table files of a version: level 0 newest first, then one file per deeper level.
 * @module
 */
import { type Comparator, TRAILER_SIZE, ValueKind, compareBytes, copyBytes } from '@velocity/core';
import type { TableHit } from '@velocity/sstable';
import type { TableCache } from './table-cache.js';
import { type Version, findFile } from './version.js';

/** Returned by {@link getFromTables} when the newest visible version is a deletion. */
export const DELETED: Uint8Array = new Uint8Array(0);

/** Counters of table lookups (statistics). */
export interface TableGetStats {
  /** Table probes (filter checked and, if it passed, a block searched). */
  probes: number;
}

/**
 * Finds the newest version of `userKey` with sequence <= `sequence` in the tables of `version`.
 * `lookupKey` is the internal key (`userKey`, `sequence`, seek kind). Returns a copy of the value,
 * {@link DELETED}, or undefined when no table holds the key.
 */
export function getFromTables(
  version: Version,
  tables: TableCache,
  ucmp: Comparator,
  userKey: Uint8Array,
  lookupKey: Uint8Array,
  sequence: number,
  stats: TableGetStats,
): Uint8Array | undefined {
  const levels = version.levels;
  // Level 0: files may overlap; take the match with the largest sequence. Files are ordered by largest
  // sequence, so once a match is newer than everything a later file holds, stop.
  const l0 = levels[0];
  let bestSequence = -1;
  let bestKind = 0;
  let bestValue: Uint8Array | undefined;
  for (let i = 0; i < l0.length; i++) {
    const f = l0[i];
    if (f.largestSequence < bestSequence) break;
    if (f.smallestSequence > sequence) continue;
    if (ucmp.compare(userKey, f.smallestKey) < 0 || ucmp.compare(userKey, f.largestKey) > 0) continue;
    stats.probes++;
    const it = tables.get(f).lookup(lookupKey);
    if (it === undefined || !sameUserKey(ucmp, it, userKey)) continue;
    const s = trailerSequence(it);
    if (s > bestSequence) {
      bestSequence = s;
      bestKind = it.keys[it.keyEnd - TRAILER_SIZE];
      bestValue = bestKind === ValueKind.Put ? copyBytes(it.values, it.valueStart, it.valueEnd) : undefined;
    }
  }
  if (bestSequence >= 0) return bestKind === ValueKind.Put ? bestValue : DELETED;
  for (let level = 1; level < levels.length; level++) {
    const files = levels[level];
    if (files.length === 0) continue;
    const i = findFile(ucmp, files, userKey);
    if (i >= files.length) continue;
    const f = files[i];
    if (ucmp.compare(userKey, f.smallestKey) < 0) continue;
    stats.probes++;
    const it = tables.get(f).lookup(lookupKey);
    if (it === undefined || !sameUserKey(ucmp, it, userKey)) continue;
    return it.keys[it.keyEnd - TRAILER_SIZE] === ValueKind.Put
      ? copyBytes(it.values, it.valueStart, it.valueEnd)
      : DELETED;
  }
  return undefined;
}

/** True when the internal key at `it` has user key `userKey` (compared in place for bytewise order). */
function sameUserKey(ucmp: Comparator, it: TableHit, userKey: Uint8Array): boolean {
  const start = it.keyStart;
  const n = it.keyEnd - start - TRAILER_SIZE;
  if (n < 0) return false;
  const key = it.keys;
  if (ucmp.compare === compareBytes) {
    if (n !== userKey.length) return false;
    for (let i = 0; i < n; i++) if (key[start + i] !== userKey[i]) return false;
    return true;
  }
  return ucmp.compare(key.subarray(start, start + n), userKey) === 0;
}

/** The sequence number in the trailer of the internal key at `it` (`extractSequence` in place). */
function trailerSequence(it: TableHit): number {
  const key = it.keys;
  const t = it.keyEnd - TRAILER_SIZE;
  // Trailer: (sequence << 8 | kind) as a little-endian fixed64; the sequence is bytes 1..7.
  let s = 0;
  for (let i = TRAILER_SIZE - 1; i >= 1; i--) s = s * 256 + key[t + i];
  return s;
}
