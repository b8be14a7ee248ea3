/**
 * Point lookups in the table files of a version: level 0 newest first, then one file per deeper level.
 * @module
 */
import { type Comparator, type LookupKey, TRAILER_SIZE, compareBytes } from '@velocity/core';
import type { TableHit } from '@velocity/sstable';
import { liveValue } from './expiry-read.js';
import type { TableFile } from './file-meta.js';
import type { TableCache } from './table-cache.js';

/** Returned by {@link getFromLevels} when the newest visible version is a deletion. */
export const DELETED: Uint8Array = new Uint8Array(0);

/** Counters of table lookups (statistics). */
export interface TableGetStats {
  /** Table probes (filter checked and, if it passed, a block searched). */
  probes: number;
}

/** Where {@link getFromLevels} reports the sequence of the version it found (range deletions). */
export interface FoundVersion {
  sequence: number;
}

/**
 * Finds the newest version of the lookup's user key with sequence <= its sequence in the tables of
 * `levels` (a version's files, `ucmp` its user comparator), reporting its sequence in `found` when
 * given. Returns a copy of the value,
 * {@link DELETED} (also for a value expired by `clock()`), or undefined when no table holds the key.
 * `Version.get` is the entry point.
 */
export function getFromLevels(
  levels: readonly (readonly TableFile[])[],
  ucmp: Comparator,
  lookup: LookupKey,
  tables: TableCache,
  stats: TableGetStats,
  clock: () => number = Date.now,
  found?: FoundVersion,
): Uint8Array | undefined {
  const userKey = lookup.userKey;
  const lookupKey = lookup.internalKey;
  const sequence = lookup.sequence;
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
    const it = tables.get(f).lookupPoint(lookupKey);
    if (it === undefined || !sameUserKey(ucmp, it, userKey)) continue;
    const s = trailerSequence(it);
    if (s > bestSequence) {
      bestSequence = s;
      bestKind = it.keys[it.keyEnd - TRAILER_SIZE];
      bestValue = liveValue(bestKind, it.values, it.valueStart, it.valueEnd, clock);
    }
  }
  if (bestSequence >= 0) {
    if (found !== undefined) found.sequence = bestSequence;
    return bestValue ?? DELETED;
  }
  for (let level = 1; level < levels.length; level++) {
    const files = levels[level];
    if (files.length === 0) continue;
    const i = findFile(ucmp, files, userKey);
    if (i >= files.length) continue;
    const f = files[i];
    if (ucmp.compare(userKey, f.smallestKey) < 0) continue;
    stats.probes++;
    const it = tables.get(f).lookupPoint(lookupKey);
    if (it === undefined || !sameUserKey(ucmp, it, userKey)) continue;
    if (found !== undefined) found.sequence = trailerSequence(it);
    return (
      liveValue(it.keys[it.keyEnd - TRAILER_SIZE], it.values, it.valueStart, it.valueEnd, clock) ?? DELETED
    );
  }
  return undefined;
}

/**
 * Index of the first file in a sorted level whose largest user key is >= `userKey`
 * (`files.length` when there is none).
 */
function findFile(ucmp: Comparator, files: readonly TableFile[], userKey: Uint8Array): number {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ucmp.compare(files[mid].largestKey, userKey) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
