/**
 * `db.checkpoint(dir)`: an openable copy of the database as of one moment, taken while writes go on.
 *
 * At the moment of the call, in one synchronous step (no write, flush or compaction of this process
 * runs in between): the current version is held (so no table it lists is deleted meanwhile), and the
 * live manifest and every write-ahead log from the manifest's log number on are copied up to their
 * present size. Every acknowledged write is in those logs or in those tables; a write still being
 * appended is either whole in the copy or cut as a torn tail that recovery drops. Then the tables are
 * hard-linked into `dir` where the file system can (`FileSystem.link`), copied otherwise. `CURRENT` is
 * written next, then the format marker: a directory without the marker is not a database, so a
 * checkpoint cut short (a crash, a kill) never opens. Every file and the directory are fsynced.
 * @module
 */
import { VelocityError, joinPath } from '@velocity/core';
import { type Copied, copyFile, copyFileNow, tryLink } from './copy-files.js';
import type { Engine } from './engine.js';
import { FORMAT_MARKER, TEMP_SUFFIX, manifestFileName, parseFileName, tableFileName } from './filenames.js';
import type { Version } from './version.js';
import { writeCurrent } from './manifest.js';

/** What `db.checkpoint` made. */
export interface CheckpointInfo {
  /** The checkpoint's directory. */
  dir: string;
  /** Sequence number of the last write the checkpoint holds. */
  sequence: number;
  /** Table files hard-linked (no bytes copied). */
  linkedTables: number;
  /** Table files copied (the file system cannot link them). */
  copiedTables: number;
  /** Bytes copied: logs, the manifest and the copied tables. */
  bytesCopied: number;
}

/** A file of the database copied at the moment of a checkpoint or backup. */
export interface CopiedFile extends Copied {
  /** Its name in the database directory. */
  name: string;
  /** Where the copy is. */
  path: string;
}

/** What {@link captureMoment} took: the copies, and the version whose tables are still to be taken. */
export interface Moment {
  /** Sequence number of the last write in the copy. */
  sequence: number;
  /** Number of the manifest copied. */
  manifest: number;
  /** The manifest, the logs it needs and the format marker, copied. */
  copied: CopiedFile[];
  /** The current version at the moment, held until `release()`: its tables are not deleted meanwhile. */
  version: Version;
  /** Lets go of `version`. */
  release(): void;
}

/**
 * {@link captureMoment} at a moment when no manifest edit is being recorded. An edit being recorded
 * is in the manifest file before its version is current, so a copy taken then would name tables (a
 * flush's, a compaction's outputs) that the held version lacks and that would not be copied. The
 * check and the capture run in one synchronous step, so no edit starts in between.
 */
export async function captureMomentWhenQuiet(
  engine: Engine,
  place: (name: string) => string,
): Promise<Moment> {
  while (engine.versions.recording) await engine.versions.whenInstalled();
  if (engine.closing) throw new VelocityError('CLOSED', 'database is closed');
  return captureMoment(engine, place);
}

/**
 * The moment of a checkpoint or backup, in one synchronous step (no write, flush or compaction of
 * this process runs in between): holds the current version and copies the live manifest, every log
 * from the manifest's log number on (up to their present size) and the format marker, each to
 * `place(name)`, fsynced.
 */
function captureMoment(engine: Engine, place: (name: string) => string): Moment {
  const fs = engine.fs;
  const versions = engine.versions;
  const version = versions.current;
  version.ref();
  try {
    const manifest = versions.manifestFileNumber;
    const names = [manifestFileName('', manifest), FORMAT_MARKER];
    for (const name of fs.list(engine.dir)) {
      const parsed = parseFileName(name);
      if (parsed?.kind === 'log' && parsed.number >= versions.logNumber) names.push(name);
    }
    const copied = names.map((name) => {
      const path = place(name);
      return { name, path, ...copyFileNow(fs, joinPath(engine.dir, name), path) };
    });
    return { sequence: versions.lastSequence, manifest, copied, version, release: () => version.unref() };
  } catch (error) {
    version.unref();
    throw error;
  }
}

/** See the module comment. Rejects with `ALREADY_EXISTS` when `dir` exists and is not empty. */
export async function checkpointEngine(engine: Engine, dir: string): Promise<CheckpointInfo> {
  const fs = engine.fs;
  if (fs.exists(dir) && fs.list(dir).length > 0) {
    throw new VelocityError('ALREADY_EXISTS', `${dir} exists and is not empty`, { path: dir });
  }
  fs.mkdir(dir);
  // The marker is copied aside first and put in place last (see the module comment).
  const moment = await captureMomentWhenQuiet(engine, (name) =>
    joinPath(dir, name === FORMAT_MARKER ? `${name}${TEMP_SUFFIX}` : name),
  );
  try {
    let bytesCopied = 0;
    for (const c of moment.copied) bytesCopied += c.bytes;
    let linkedTables = 0;
    let copiedTables = 0;
    for (const level of moment.version.levels) {
      for (const file of level) {
        const from = tableFileName(engine.dir, file.id);
        const to = tableFileName(dir, file.id);
        if (tryLink(fs, from, to)) {
          linkedTables++;
        } else {
          bytesCopied += (await copyFile(fs, from, to)).bytes;
          copiedTables++;
        }
      }
    }
    fs.syncDirectory(dir);
    writeCurrent(fs, dir, moment.manifest);
    fs.rename(joinPath(dir, `${FORMAT_MARKER}${TEMP_SUFFIX}`), joinPath(dir, FORMAT_MARKER));
    fs.syncDirectory(dir);
    return { dir, sequence: moment.sequence, linkedTables, copiedTables, bytesCopied };
  } finally {
    moment.release();
  }
}
