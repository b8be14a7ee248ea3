/**
 * `velocity repair`: salvages what is readable from a damaged database into a new, consistent one, as
 * LevelDB's RepairDB does. The damaged originals are never deleted: every file of the directory is moved
 * to a sibling directory `<dir>.damaged-<time>` before the new database is written.
 * @module
 */
import { mkdirSync, renameSync } from 'node:fs';
import {
  ByteReader,
  bytewiseComparator,
  InternalKeyComparator,
  isVelocityError,
  joinPath,
  parseInternalKey,
  ValueKind,
} from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import { DB, parseFileName } from '@velocity/db';
import { TableReader } from '@velocity/sstable';
import { LogReader } from '@velocity/wal';
import { CliError, ExitCode } from '../exit-codes.js';

interface Salvaged {
  sequence: number;
  kind: number;
  key: Uint8Array;
  value: Uint8Array;
}

/** What `repair` did. */
export interface RepairReport {
  /** Where the original files are now. */
  movedTo: string;
  /** Live keys written to the new database. */
  keys: number;
  /** Entries read (all versions) from tables and logs. */
  entriesRead: number;
  /** Problems met: each a file and what was lost there. */
  losses: string[];
}

const fs = new NodeFileSystem();
const icmp = new InternalKeyComparator(bytewiseComparator);

function keep(map: Map<string, Salvaged>, entry: Salvaged): void {
  const id = Buffer.from(entry.key.buffer, entry.key.byteOffset, entry.key.byteLength).toString('latin1');
  const known = map.get(id);
  if (known === undefined || known.sequence < entry.sequence) map.set(id, entry);
}

/** Reads what a table yields before any damage; reports the rest. */
function salvageTable(path: string, name: string, map: Map<string, Salvaged>, losses: string[]): number {
  let read = 0;
  let table: TableReader;
  try {
    table = TableReader.open(fs.openReadable(path), { comparator: icmp });
  } catch (error) {
    losses.push(`${name}: unreadable (${(error as Error).message}); its entries are lost`);
    return 0;
  }
  try {
    for (const block of table.dataBlocks()) {
      try {
        for (const { key, value } of block.entries()) {
          const k = parseInternalKey(key);
          keep(map, { sequence: k.sequence, kind: k.kind, key: k.userKey.slice(), value: value.slice() });
          read++;
        }
      } catch (error) {
        losses.push(
          `${name}: data block at offset ${block.offset} (${block.size} bytes) unreadable (${(error as Error).message})`,
        );
      }
    }
  } catch (error) {
    losses.push(`${name}: index unreadable after ${read} entries (${(error as Error).message})`);
  } finally {
    table.close();
  }
  return read;
}

/** Replays every intact batch of a log; reports skipped bytes. */
function salvageLog(path: string, name: string, map: Map<string, Salvaged>, losses: string[]): number {
  let read = 0;
  const reader = new LogReader(fs.openReadable(path), { mode: 'skip-any-corrupted' });
  for (const record of reader) {
    try {
      const r = new ByteReader(record);
      const sequence = r.readFixed64();
      const count = r.readFixed32();
      for (let i = 0; i < count; i++) {
        const kind = r.readByte();
        const key = r.readLengthPrefixed().slice();
        const value = kind === ValueKind.Put ? r.readLengthPrefixed().slice() : new Uint8Array(0);
        keep(map, { sequence: sequence + i, kind, key, value });
        read++;
      }
    } catch (error) {
      losses.push(`${name}: a malformed batch was skipped (${(error as Error).message})`);
    }
  }
  for (const d of reader.dropped)
    losses.push(`${name}: ${d.bytes} bytes at offset ${d.offset} dropped (${d.reason})`);
  return read;
}

/** `velocity repair DIR`. */
export async function repairDirectory(dir: string, now = new Date()): Promise<RepairReport> {
  let names: string[];
  try {
    names = fs.list(dir);
  } catch {
    throw new CliError(`${dir}: no such directory`, ExitCode.NotADatabase);
  }
  const ours = names.filter((n) => parseFileName(n) !== undefined);
  if (ours.length === 0 || ours.length !== names.length) {
    throw new CliError(
      `${dir}: not a Velocity database (or it holds files that are not Velocity's)`,
      ExitCode.NotADatabase,
    );
  }
  // Refuse while a live process has the database open.
  let lock: { release(): void } | undefined;
  try {
    lock = fs.lock(joinPath(dir, 'LOCK'));
  } catch (error) {
    if (isVelocityError(error, 'LOCKED'))
      throw new CliError(`${dir}: the database is open in another process`, ExitCode.Locked);
    throw error;
  }
  const map = new Map<string, Salvaged>();
  const losses: string[] = [];
  let entriesRead = 0;
  try {
    for (const name of names) {
      const kind = parseFileName(name)?.kind;
      const path = joinPath(dir, name);
      if (kind === 'table') entriesRead += salvageTable(path, name, map, losses);
      else if (kind === 'log') entriesRead += salvageLog(path, name, map, losses);
    }
  } finally {
    lock.release();
  }
  const movedTo = `${dir.replace(/\/+$/, '')}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
  mkdirSync(movedTo);
  for (const name of fs.list(dir)) renameSync(joinPath(dir, name), joinPath(movedTo, name));
  const db = await DB.open(dir, { createIfMissing: true });
  let keys = 0;
  try {
    let batch: { type: 'put'; key: Uint8Array; value: Uint8Array }[] = [];
    for (const e of map.values()) {
      if (e.kind !== ValueKind.Put) continue;
      batch.push({ type: 'put', key: e.key, value: e.value });
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
  return { movedTo, keys, entriesRead, losses };
}

/** Prints the repair report. */
export async function repair(dir: string, out: (line: string) => void): Promise<void> {
  const report = await repairDirectory(dir);
  out(`repaired ${dir}: ${report.keys} live keys written from ${report.entriesRead} entries read`);
  out(`the original files are in ${report.movedTo}`);
  if (report.losses.length === 0) out('nothing was lost');
  for (const loss of report.losses) out(`lost: ${loss}`);
}
