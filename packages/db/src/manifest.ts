/**
 * Reading and writing manifests and `CURRENT` (see docs/formats/manifest.md).
 * @module
 */
import { type FileSystem, VelocityError, corruption, fromUtf8, joinPath, utf8 } from '@velocity/core';
import { LogReader, LogWriter } from '@velocity/wal';
import { CURRENT, manifestFileName, parseFileName, tempFileName } from './filenames.js';
import type { VersionEdit } from './version-edit.js';
import { VersionEdit as Edit } from './version-edit.js';

/** Reads `CURRENT` and returns the manifest's file number. Throws `CORRUPTION` when malformed. */
export function readCurrent(fs: FileSystem, dir: string): number {
  const path = joinPath(dir, CURRENT);
  const text = fromUtf8(fs.readFile(path));
  if (!text.endsWith('\n')) throw corruption('CURRENT does not end with a newline', path);
  const parsed = parseFileName(text.slice(0, -1));
  if (parsed?.kind !== 'manifest')
    throw corruption(`CURRENT names no manifest: ${JSON.stringify(text)}`, path);
  return parsed.number;
}

/**
 * Points `CURRENT` at manifest `number` atomically: write a temporary file, fsync it, rename it over
 * `CURRENT`, fsync the directory.
 */
export function writeCurrent(fs: FileSystem, dir: string, number: number): void {
  const temp = tempFileName(dir, number);
  const name = manifestFileName('', number);
  const file = fs.openWritable(temp);
  try {
    file.append(utf8(`${name}\n`));
    file.sync();
  } finally {
    file.close();
  }
  fs.rename(temp, joinPath(dir, CURRENT));
  fs.syncDirectory(dir);
}

/** The edits of a manifest, and whether damaged bytes were cut from its tail. */
export interface ManifestContents {
  edits: VersionEdit[];
  tailDropped: boolean;
}

/**
 * Reads every edit of a manifest. A torn last record is cut: usually it was never acknowledged (a
 * crash during its append); the open then checks that the recovered state's files exist, which tells
 * apart an acknowledged edit that was lost (see `checkFilesNamedByManifest` in recovery).
 */
export function readManifest(fs: FileSystem, dir: string, number: number): ManifestContents {
  const path = manifestFileName(dir, number);
  if (!fs.exists(path)) throw corruption(`CURRENT names a missing manifest ${path}`, path);
  const reader = new LogReader(fs.readFile(path), { mode: 'tolerate-corrupted-tail' });
  const edits: VersionEdit[] = [];
  try {
    for (let record = reader.readRecord(); record !== undefined; record = reader.readRecord()) {
      edits.push(Edit.decode(record));
    }
  } catch (error) {
    if (error instanceof VelocityError && error.path === undefined) {
      throw new VelocityError(error.code, `${path}: ${error.message}`, { path, cause: error });
    }
    throw error;
  }
  return { edits, tailDropped: reader.dropped.length > 0 };
}

/** An open manifest being appended to. Every record is fsynced before `append` returns. */
export class ManifestWriter {
  private readonly log: LogWriter;
  private closed = false;

  private constructor(
    /** The manifest's file number. */
    readonly number: number,
    private readonly file: { close(): void },
    log: LogWriter,
  ) {
    this.log = log;
  }

  /**
   * Creates manifest `number` holding `snapshot` as its first record, durably (file and directory
   * entry), without touching `CURRENT`.
   */
  static create(fs: FileSystem, dir: string, number: number, snapshot: VersionEdit): ManifestWriter {
    const file = fs.openWritable(manifestFileName(dir, number));
    const log = new LogWriter(file);
    const writer = new ManifestWriter(number, file, log);
    try {
      log.addRecord(snapshot.encode());
      log.sync();
      fs.syncDirectory(dir);
    } catch (error) {
      writer.close();
      throw error;
    }
    return writer;
  }

  /** Bytes written. */
  get size(): number {
    return this.log.size;
  }

  /** Appends an edit and fsyncs it. */
  append(edit: VersionEdit): void {
    if (this.closed) throw new VelocityError('CLOSED', 'manifest is closed');
    this.log.addRecord(edit.encode());
    this.log.sync();
  }

  /**
   * Appends an edit and fsyncs it off the calling thread where the file allows (resolving once the
   * edit is durable). Append nothing else until it settled.
   */
  appendAsync(edit: VersionEdit): Promise<void> {
    if (this.closed) return Promise.reject(new VelocityError('CLOSED', 'manifest is closed'));
    try {
      this.log.addRecord(edit.encode());
    } catch (error) {
      return Promise.reject(error);
    }
    return this.log.syncAsync();
  }

  /** Closes the file. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.log.close();
    } catch {
      // Closing after an I/O error: the error that mattered was already reported.
    }
    try {
      this.file.close();
    } catch {
      // As above.
    }
  }
}
