/**
 * `repair(dir)`: salvages what is readable from a damaged database into a new, consistent one, as
 * LevelDB's RepairDB does. The damaged originals are never deleted: every file of the directory is
 * moved to a sibling directory `<dir>.damaged-<time>` before the new database is written.
 * @module
 */
import {
  type FileSystem,
  InternalKeyComparator,
  VelocityError,
  ValueKind,
  EXPIRY_PREFIX_SIZE,
  decodeExpiry,
  bytewiseComparator,
  joinPath,
  parseInternalKey,
  MAX_SEQUENCE,
  type RangeTombstone,
  RangeTombstoneIndex,
  toHex,
} from '@velocity/core';
import { TableReader } from '@velocity/sstable';
import { LogReader } from '@velocity/wal';
import { applyBatch } from './batch-buffer.js';
import { DB } from './db.js';
import { LOCK, parseFileName } from './filenames.js';
import { memRangeTombstones } from './range-deletions.js';
import { type ToolOptions, toolFileSystem } from './verify.js';
import type { MemTable } from '@velocity/memtable';

/** Options of {@link repair}. */
export interface RepairOptions extends ToolOptions {
  /** The time in the name of the directory the originals move to. Default now. */
  now?: Date;
}

/** What {@link repair} did. */
export interface RepairReport {
  /** Where the original files are now. */
  movedTo: string;
  /** Live keys written to the new database. */
  keys: number;
  /** Entries read (all versions) from tables and logs. */
  entriesRead: number;
  /** Problems met: each names a file and what was lost there. Empty when nothing was lost. */
  losses: string[];
}

interface Salvaged {
  sequence: number;
  kind: number;
  key: Uint8Array;
  value: Uint8Array;
}

/** The newest version of every key seen so far. */
class Salvage {
  readonly newest = new Map<string, Salvaged>();
  /** Range tombstones read from tables and logs: they delete older versions of the keys they cover. */
  readonly ranges: RangeTombstone[] = [];
  entries = 0;

  keep(sequence: number, kind: number, key: Uint8Array, value: Uint8Array): void {
    this.entries++;
    const id = toHex(key);
    const known = this.newest.get(id);
    if (known === undefined || known.sequence < sequence) {
      this.newest.set(id, { sequence, kind, key: key.slice(), value: value.slice() });
    }
  }
}

/** Reads what a table yields before any damage; reports the rest. */
function salvageTable(
  fs: FileSystem,
  path: string,
  name: string,
  icmp: InternalKeyComparator,
  out: Salvage,
  losses: string[],
): void {
  let table: TableReader;
  try {
    table = TableReader.open(fs.openReadable(path), { comparator: icmp });
  } catch (error) {
    losses.push(`${name}: unreadable (${(error as Error).message}); its entries are lost`);
    return;
  }
  const before = out.entries;
  // Read (and checksum-verified) at open: a damaged range-deletion block makes the table unreadable.
  out.ranges.push(...table.rangeTombstones());
  try {
    for (const block of table.dataBlocks()) {
      try {
        for (const { key, value } of block.entries()) {
          const k = parseInternalKey(key);
          out.keep(k.sequence, k.kind, k.userKey, value);
        }
      } catch (error) {
        losses.push(
          `${name}: data block at offset ${block.offset} (${block.size} bytes) unreadable (${(error as Error).message})`,
        );
      }
    }
  } catch (error) {
    losses.push(
      `${name}: index unreadable after ${out.entries - before} entries (${(error as Error).message})`,
    );
  } finally {
    table.close();
  }
}

/** Collects the operations of a write batch (a memtable-shaped sink for `applyBatch`). */
function batchSink(out: Salvage): MemTable {
  return {
    add: (sequence: number, kind: number, key: Uint8Array, value: Uint8Array) =>
      out.keep(sequence, kind, key, value),
  } as unknown as MemTable;
}

/** Replays every intact batch of a log; reports skipped bytes. */
function salvageLog(fs: FileSystem, path: string, name: string, out: Salvage, losses: string[]): void {
  const file = fs.openReadable(path);
  try {
    const reader = new LogReader(file, { mode: 'skip-any-corrupted' });
    const sink = batchSink(out);
    for (const record of reader) {
      try {
        applyBatch(record, record.length, undefined); // the whole batch parses, or none of it is kept
        applyBatch(record, record.length, sink);
      } catch (error) {
        losses.push(`${name}: a malformed batch was skipped (${(error as Error).message})`);
      }
    }
    out.ranges.push(...memRangeTombstones(sink));
    for (const d of reader.dropped)
      losses.push(`${name}: ${d.bytes} bytes at offset ${d.offset} dropped (${d.reason})`);
  } finally {
    file.close();
  }
}

/**
 * Salvages what is readable of the database in `dir` into a new database in the same place. Every
 * entry of every readable table block and every intact log batch is read; the newest version of each
 * key wins and deleted keys stay deleted (also those a newer range tombstone covers). The originals are first moved, untouched, to
 * `<dir>.damaged-<time>`. Rejects with `NOT_FOUND` when `dir` does not exist, `NOT_A_DATABASE` when it
 * holds no Velocity files or files that are not Velocity's, and `LOCKED` while a process has it open.
 *
 * @example
 * ```ts
 * import { MemoryFileSystem } from '@velocity/core';
 * import { DB, repair } from '@velocity/db';
 * const fs = new MemoryFileSystem();
 * const db = await DB.open('/db', { fs });
 * await db.put('k', 'v');
 * await db.close();
 * const report = await repair('/db', { fs });
 * console.log(report.keys, report.losses); // 1, []
 * ```
 */
export async function repair(dir: string, options?: RepairOptions): Promise<RepairReport> {
  const fs = await toolFileSystem(options);
  const comparator = options?.comparator ?? bytewiseComparator;
  const icmp = new InternalKeyComparator(comparator);
  const names = fs.list(dir);
  const ours = names.filter((n) => parseFileName(n) !== undefined);
  if (ours.length === 0 || ours.length !== names.length) {
    throw new VelocityError(
      'NOT_A_DATABASE',
      `${dir} is not a Velocity database (or it holds files that are not Velocity's)`,
      { path: dir },
    );
  }
  const salvage = new Salvage();
  const losses: string[] = [];
  const lock = fs.lock(joinPath(dir, LOCK)); // LOCKED while a live process has it open
  try {
    for (const name of names) {
      const kind = parseFileName(name)?.kind;
      const path = joinPath(dir, name);
      if (kind === 'table') salvageTable(fs, path, name, icmp, salvage, losses);
      else if (kind === 'log') salvageLog(fs, path, name, salvage, losses);
    }
  } finally {
    lock.release();
  }
  const now = options?.now ?? new Date();
  const movedTo = `${dir.replace(/\/+$/, '')}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
  fs.mkdir(movedTo);
  for (const name of fs.list(dir)) fs.rename(joinPath(dir, name), joinPath(movedTo, name));
  const db = await DB.open(dir, { fs, comparator, createIfMissing: true });
  let keys = 0;
  try {
    let batch: { type: 'put'; key: Uint8Array; value: Uint8Array; expiresAt?: number }[] = [];
    const ranges = new RangeTombstoneIndex(comparator, salvage.ranges);
    for (const e of salvage.newest.values()) {
      if (ranges.coveringSequence(e.key, MAX_SEQUENCE) > e.sequence) continue; // range-deleted
      if (e.kind === ValueKind.PutWithExpiry) {
        batch.push({
          type: 'put',
          key: e.key,
          value: e.value.subarray(EXPIRY_PREFIX_SIZE),
          expiresAt: decodeExpiry(e.value),
        });
      } else if (e.kind === ValueKind.Put) batch.push({ type: 'put', key: e.key, value: e.value });
      else continue;
      keys++;
      if (batch.length >= 1000) {
        await db.write(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await db.write(batch);
    await db.flush();
  } finally {
    await db.close();
  }
  return { movedTo, keys, entriesRead: salvage.entries, losses };
}
