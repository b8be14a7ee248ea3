/**
 * `verify(dir)`: reads every block of every table and every record of every log and of the live
 * manifest, checking every checksum, without opening the database (it takes no lock and writes
 * nothing, so it runs beside a process that has the database open).
 * @module
 */
import {
  type Comparator,
  type FileSystem,
  InternalKeyComparator,
  VelocityError,
  bytewiseComparator,
  extractUserKey,
  isVelocityError,
  joinPath,
} from '@velocity/core';
import { TableReader } from '@velocity/sstable';
import { LogReader } from '@velocity/wal';
import { applyBatch } from './batch-buffer.js';
import { loadDefaultFileSystem } from './default-fs.js';
import { CURRENT, manifestFileName, parseFileName, tableFileName } from './filenames.js';
import { readCurrent } from './manifest.js';
import { VersionEdit } from './version-edit.js';

/** Options of {@link verify} and {@link repair}. */
export interface ToolOptions {
  /** Storage. Default: `NodeFileSystem` on Node (required elsewhere). */
  fs?: FileSystem;
  /** The comparator the database was created with. Default bytewise. */
  comparator?: Comparator;
}

/** One problem {@link verify} found: a file, and what is wrong with it. */
export interface Damage {
  /** The file's name in the database directory (`MANIFEST/CURRENT` for the manifest chain). */
  file: string;
  /** What is wrong, in words. */
  problem: string;
}

/** What {@link verify} found. */
export interface VerifyReport {
  /** True when nothing is damaged. */
  ok: boolean;
  /** Every problem found; empty when `ok`. */
  damage: Damage[];
  /** Observations that are not damage (record counts, a torn tail of the newest log). */
  notes: string[];
  /** Tables read. */
  tables: number;
  /** Write-ahead logs read. */
  logs: number;
}

/** The file system of `options`, or the default one. */
export async function toolFileSystem(options: ToolOptions | undefined): Promise<FileSystem> {
  return options?.fs ?? (await loadDefaultFileSystem());
}

/** The numbers of the tables the live manifest lists; throws when CURRENT or the manifest is damaged. */
function liveTables(fs: FileSystem, dir: string): { manifest: number; live: Set<number> } {
  const manifest = readCurrent(fs, dir);
  const path = manifestFileName(dir, manifest);
  const reader = new LogReader(fs.readFile(path), { mode: 'absolute-consistency' });
  const live = new Set<number>();
  for (const record of reader) {
    const edit = VersionEdit.decode(record);
    for (const d of edit.deletedFiles) live.delete(d.number);
    for (const f of edit.newFiles) live.add(f.file.id);
  }
  return { manifest, live };
}

/** Reads every entry of a table; returns a problem, or undefined when it is intact. */
function checkTable(fs: FileSystem, path: string, icmp: InternalKeyComparator): string | undefined {
  const table = TableReader.open(fs.openReadable(path), { comparator: icmp });
  try {
    const it = table.iterator();
    let entries = 0;
    for (it.seekToFirst(); it.valid(); it.next()) {
      extractUserKey(it.key());
      entries++;
    }
    const recorded = table.properties.entries;
    if (entries !== recorded) return `${entries} entries read, ${recorded} recorded`;
    // The range-deletion block was read and checksum-verified at open; its ranges must not be empty.
    for (const t of table.rangeTombstones())
      if (icmp.user.compare(t.start, t.end) >= 0) return 'a range tombstone with an empty or inverted range';
    return undefined;
  } finally {
    table.close();
  }
}

/**
 * Checks the database in `dir`: every block of every table (its range-deletion block too, and that
 * its entry count matches its properties), every record of every write-ahead log (each must parse as a write batch), every record
 * of the live manifest, and that every table the manifest lists exists. A torn tail of the newest log
 * is a note, not damage: a crash leaves one and recovery cuts it. Takes no lock and writes nothing.
 * Rejects with `NOT_FOUND` when `dir` does not exist and `NOT_A_DATABASE` when it has no `CURRENT`.
 *
 * @example
 * ```ts
 * import { MemoryFileSystem } from '@velocity/core';
 * import { DB, verify } from '@velocity/db';
 * const fs = new MemoryFileSystem();
 * const db = await DB.open('/db', { fs });
 * await db.put('k', 'v');
 * await db.close();
 * const report = await verify('/db', { fs });
 * console.log(report.ok, report.damage); // true, []
 * ```
 */
export async function verify(dir: string, options?: ToolOptions): Promise<VerifyReport> {
  const fs = await toolFileSystem(options);
  const icmp = new InternalKeyComparator(options?.comparator ?? bytewiseComparator);
  const names = fs.list(dir);
  if (!names.includes(CURRENT)) {
    throw new VelocityError('NOT_A_DATABASE', `${dir} is not a Velocity database (no CURRENT)`, {
      path: dir,
    });
  }
  const report: VerifyReport = { ok: true, damage: [], notes: [], tables: 0, logs: 0 };
  let live = new Set<number>();
  try {
    const found = liveTables(fs, dir);
    live = found.live;
    report.notes.push(`manifest ${found.manifest}: ${live.size} live tables`);
  } catch (error) {
    report.damage.push({ file: 'MANIFEST/CURRENT', problem: (error as Error).message });
  }
  const logs = names.filter((n) => parseFileName(n)?.kind === 'log');
  const newestLog = logs[logs.length - 1];
  for (const name of names) {
    const kind = parseFileName(name)?.kind;
    const path = joinPath(dir, name);
    try {
      if (kind === 'table') {
        report.tables++;
        const problem = checkTable(fs, path, icmp);
        if (problem !== undefined) report.damage.push({ file: name, problem });
      } else if (kind === 'log') {
        report.logs++;
        checkLog(fs, path, name, name === newestLog, report);
      }
    } catch (error) {
      const problem = isVelocityError(error) ? `${error.code}: ${error.message}` : String(error);
      report.damage.push({ file: name, problem });
    }
  }
  for (const id of live) {
    const name = tableFileName('', id);
    if (!names.includes(name))
      report.damage.push({ file: name, problem: 'named by the manifest but missing' });
  }
  report.ok = report.damage.length === 0;
  return report;
}

/** Reads every record of a log; damage goes to the report (a torn tail of the newest log is a note). */
function checkLog(fs: FileSystem, path: string, name: string, newest: boolean, report: VerifyReport): void {
  const file = fs.openReadable(path);
  try {
    const reader = new LogReader(file);
    let records = 0;
    for (const record of reader) {
      applyBatch(record, record.length, undefined);
      records++;
    }
    for (const d of reader.dropped) {
      if (newest)
        report.notes.push(`${name}: torn tail of ${d.bytes} bytes at ${d.offset} (normal after a crash)`);
      else report.damage.push({ file: name, problem: `${d.reason} at offset ${d.offset}` });
    }
    report.notes.push(`${name}: ${records} records`);
  } finally {
    file.close();
  }
}
