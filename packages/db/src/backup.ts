/**
 * Incremental backups: `backup(db, dir)`, `listBackups(dir)`, `restore(dir, id, target)` and
 * `purgeOldBackups(dir, keep)`.
 *
 * A backup directory holds, side by side in one flat directory:
 *
 * - `table-<number>-<size>.sst`: tables, shared by every backup that lists them. A table already
 *   there is not copied again, which is what makes backups incremental: tables never change once
 *   written, and a table file's number is never reused in one database.
 * - `<id>-MANIFEST-<n>`, `<id>-<n>.log`, `<id>-VELOCITY`: the manifest, logs and format marker of
 *   backup `<id>`, copied at its moment (see `captureMomentWhenQuiet` in checkpoint.ts).
 * - `BACKUP-<id>.json`: the backup's own manifest, written last: every file it needs with its size
 *   and CRC-32C, the sequence number and the time. A backup without it (cut short) does not exist.
 * @module
 */
import { type FileSystem, VelocityError, fromUtf8, joinPath, utf8 } from '@velocity/core';
import { captureMomentWhenQuiet } from './checkpoint.js';
import { copyFile, crc32cOf } from './copy-files.js';
import type { DB } from './db.js';
import type { Engine } from './engine.js';
import { FORMAT_MARKER, TEMP_SUFFIX, tableFileName } from './filenames.js';
import { writeCurrent } from './manifest.js';
import { type ToolOptions, toolFileSystem } from './verify.js';

/** One file of a backup. */
export interface BackupFile {
  /** Its name in the database directory. */
  name: string;
  /** Its name in the backup directory. */
  stored: string;
  /** Size in bytes. */
  size: number;
  /** CRC-32C of its bytes. */
  crc32c: number;
}

/** A backup, as {@link listBackups} describes it. */
export interface BackupInfo {
  /** The backup's number: 1 for the first in a directory, then counting up. */
  id: number;
  /** When it was taken (ISO 8601). */
  createdAt: string;
  /** Sequence number of the last write it holds. */
  sequence: number;
  /** Number of the manifest it holds (what `CURRENT` names after a restore). */
  manifest: number;
  /** Every file it needs. */
  files: BackupFile[];
}

/** What {@link backup} did. */
export interface BackupResult extends BackupInfo {
  /** Files copied into the backup directory by this backup. */
  filesCopied: number;
  /** Bytes copied by this backup (tables already in the directory are not copied again). */
  bytesCopied: number;
}

const META = /^BACKUP-(\d{6,})\.json$/;
const pad = (n: number) => String(n).padStart(6, '0');
const metaName = (id: number) => `BACKUP-${pad(id)}.json`;

function corrupt(message: string, path: string): VelocityError {
  return new VelocityError('CORRUPTION', message, { path });
}

/** Reads the backup manifests of `dir`, oldest first. */
function readBackups(fs: FileSystem, dir: string): BackupInfo[] {
  if (!fs.exists(dir)) return [];
  const out: BackupInfo[] = [];
  for (const name of fs.list(dir)) {
    if (!META.test(name)) continue;
    const path = joinPath(dir, name);
    let info: BackupInfo;
    try {
      info = JSON.parse(fromUtf8(fs.readFile(path))) as BackupInfo;
    } catch (error) {
      throw new VelocityError('CORRUPTION', `${path} is not a backup manifest`, { path, cause: error });
    }
    if (typeof info?.id !== 'number' || !Array.isArray(info.files))
      throw corrupt(`${path} is not a backup manifest`, path);
    out.push(info);
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Writes `name` in `dir` with `text`, atomically (temporary file, fsync, rename, directory fsync). */
function writeAtomically(fs: FileSystem, dir: string, name: string, text: string): void {
  const temp = joinPath(dir, `${name}${TEMP_SUFFIX}`);
  const file = fs.openWritable(temp);
  try {
    file.append(utf8(text));
    file.sync();
  } finally {
    file.close();
  }
  fs.rename(temp, joinPath(dir, name));
  fs.syncDirectory(dir);
}

/** Reads `path` back and throws `CORRUPTION` unless its size and CRC-32C are `expected`'s. */
async function checkCopy(
  fs: FileSystem,
  path: string,
  expected: { size: number; crc32c: number },
): Promise<void> {
  const actual = await crc32cOf(fs, path);
  if (actual.bytes !== expected.size || actual.crc32c !== expected.crc32c) {
    throw corrupt(
      `${path}: ${actual.bytes} bytes with CRC-32C ${actual.crc32c}, expected ${expected.size} bytes with ${expected.crc32c}`,
      path,
    );
  }
}

/** The engine of a database handle (backups read its files directly). */
function engineOf(db: DB): Engine {
  return (db as unknown as { engine: Engine }).engine;
}

/**
 * Backs up the open database `db` into `dir` (created if missing) as backup number `last + 1`, while
 * writes go on: a consistent state as of the call, like `db.checkpoint`. Tables already in `dir` are
 * not copied again. Every copied file is read back and its CRC-32C checked before the backup's own
 * manifest is written (last), so a backup cut short does not exist. Rejects with `CLOSED` after close
 * and `OPENED_READ_ONLY` for a read-only handle.
 *
 * @example
 * ```ts
 * import { MemoryFileSystem } from '@velocity/core';
 * import { DB, backup, restore } from '@velocity/db';
 * const fs = new MemoryFileSystem();
 * const db = await DB.open('/db', { fs });
 * await db.put('k', 'v');
 * const made = await backup(db, '/backups'); // made.id is 1, then 2, 3, ...
 * await restore('/backups', made.id, '/restored', { fs });
 * ```
 */
export async function backup(db: DB, dir: string): Promise<BackupResult> {
  const engine = engineOf(db);
  if (engine.closing) throw new VelocityError('CLOSED', 'database is closed');
  const fs = engine.fs;
  fs.mkdir(dir);
  const previous = readBackups(fs, dir);
  const id = (previous.at(-1)?.id ?? 0) + 1;
  for (const name of fs.list(dir)) {
    // Left by a backup cut short.
    if (name.startsWith(`${pad(id)}-`) || name.endsWith(TEMP_SUFFIX)) fs.remove(joinPath(dir, name));
  }
  const moment = await captureMomentWhenQuiet(engine, (name) => joinPath(dir, `${pad(id)}-${name}`));
  try {
    const files: BackupFile[] = [];
    let bytesCopied = 0;
    let filesCopied = 0;
    for (const c of moment.copied) {
      await checkCopy(fs, c.path, { size: c.bytes, crc32c: c.crc32c });
      files.push({ name: c.name, stored: `${pad(id)}-${c.name}`, size: c.bytes, crc32c: c.crc32c });
      bytesCopied += c.bytes;
      filesCopied++;
    }
    const known = new Map<string, BackupFile>();
    for (const b of previous) for (const f of b.files) known.set(f.stored, f);
    for (const level of moment.version.levels) {
      for (const table of level) {
        const name = tableFileName('', table.id);
        const stored = `table-${pad(table.id)}-${table.size}.sst`;
        const already = known.get(stored);
        if (already !== undefined && fs.exists(joinPath(dir, stored))) {
          files.push({ ...already, name });
          continue;
        }
        const temp = joinPath(dir, `${stored}${TEMP_SUFFIX}`);
        const copied = await copyFile(fs, tableFileName(engine.dir, table.id), temp);
        if (copied.bytes !== table.size) {
          throw corrupt(`table ${table.id} is ${copied.bytes} bytes, the manifest says ${table.size}`, temp);
        }
        await checkCopy(fs, temp, { size: copied.bytes, crc32c: copied.crc32c });
        fs.rename(temp, joinPath(dir, stored));
        files.push({ name, stored, size: copied.bytes, crc32c: copied.crc32c });
        bytesCopied += copied.bytes;
        filesCopied++;
      }
    }
    fs.syncDirectory(dir);
    const info: BackupInfo = {
      id,
      createdAt: new Date().toISOString(),
      sequence: moment.sequence,
      manifest: moment.manifest,
      files,
    };
    writeAtomically(fs, dir, metaName(id), `${JSON.stringify(info, null, 2)}\n`);
    return { ...info, filesCopied, bytesCopied };
  } finally {
    moment.release();
  }
}

/** The backups in `dir`, oldest first (none when `dir` does not exist). */
export async function listBackups(dir: string, options?: ToolOptions): Promise<BackupInfo[]> {
  return readBackups(await toolFileSystem(options), dir);
}

/**
 * Restores backup `id` of `dir` into `targetDir` (which must not exist or be empty; `ALREADY_EXISTS`
 * otherwise), checking the size and CRC-32C of every file it copies. `CURRENT` and then the format
 * marker are written last, as by a checkpoint, so a restore cut short never opens. Rejects with
 * `NOT_FOUND` for an unknown backup and `CORRUPTION` when a file of it is missing or damaged.
 */
export async function restore(
  dir: string,
  id: number,
  targetDir: string,
  options?: ToolOptions,
): Promise<BackupInfo> {
  const fs = await toolFileSystem(options);
  const info = readBackups(fs, dir).find((b) => b.id === id);
  if (info === undefined) throw new VelocityError('NOT_FOUND', `no backup ${id} in ${dir}`, { path: dir });
  if (fs.exists(targetDir) && fs.list(targetDir).length > 0) {
    throw new VelocityError('ALREADY_EXISTS', `${targetDir} exists and is not empty`, { path: targetDir });
  }
  fs.mkdir(targetDir);
  for (const file of info.files) {
    const from = joinPath(dir, file.stored);
    if (!fs.exists(from)) throw corrupt(`${from}, a file of backup ${id}, is missing`, from);
    const to = joinPath(targetDir, file.name === FORMAT_MARKER ? `${file.name}${TEMP_SUFFIX}` : file.name);
    const copied = await copyFile(fs, from, to);
    if (copied.bytes !== file.size || copied.crc32c !== file.crc32c) {
      throw corrupt(`${from} does not match backup ${id}'s manifest (size or CRC-32C)`, from);
    }
  }
  fs.syncDirectory(targetDir);
  writeCurrent(fs, targetDir, info.manifest);
  fs.rename(joinPath(targetDir, `${FORMAT_MARKER}${TEMP_SUFFIX}`), joinPath(targetDir, FORMAT_MARKER));
  fs.syncDirectory(targetDir);
  return info;
}

/**
 * Deletes all but the newest `keep` backups of `dir`: their manifests first, then every file no
 * remaining backup lists. Returns the ids deleted.
 */
export async function purgeOldBackups(dir: string, keep: number, options?: ToolOptions): Promise<number[]> {
  if (!Number.isInteger(keep) || keep < 0) {
    throw new VelocityError('INVALID_ARGUMENT', `keep must be an integer >= 0, got ${String(keep)}`);
  }
  const fs = await toolFileSystem(options);
  const all = readBackups(fs, dir);
  const doomed = all.slice(0, Math.max(0, all.length - keep));
  for (const b of doomed) fs.remove(joinPath(dir, metaName(b.id)));
  fs.syncDirectory(dir);
  const needed = new Set<string>();
  for (const b of all.slice(doomed.length)) for (const f of b.files) needed.add(f.stored);
  for (const name of fs.list(dir)) {
    if (META.test(name) || needed.has(name)) continue;
    fs.remove(joinPath(dir, name));
  }
  fs.syncDirectory(dir);
  return doomed.map((b) => b.id);
}
