/**
 * The format marker: a small text file named `VELOCITY` that says "this directory is a Velocity
 * database" and which on-disk format version wrote it.
 *
 * ```
 * velocity\n
 * format-version <decimal>\n
 * ```
 *
 * It is written when the database is created (temporary file, fsync, rename, directory fsync), at
 * version 1, and rewritten the same way when the database first holds data an older reader would
 * misread: version 2 before the first write with an expiry time reaches the log, version 3 before the
 * first range deletion does (a log record of kind 15, tables with a range-deletion block). A reader refuses a
 * larger version with `FORMAT_VERSION` before writing anything.
 * @module
 */
import { type FileSystem, VelocityError, corruption, fromUtf8, joinPath, utf8 } from '@velocity/core';
import { FORMAT_MARKER, TEMP_SUFFIX } from './filenames.js';

/** The newest on-disk format version this code reads. */
export const FORMAT_VERSION = 3;

/** The format version of a new database (raised when it first needs more). */
export const BASE_FORMAT_VERSION = 1;

/** The format version from which logs and tables may hold puts with an expiry time. */
export const EXPIRY_FORMAT_VERSION = 2;

/** The format version from which logs and tables may hold range deletions. */
export const RANGE_DELETE_FORMAT_VERSION = 3;

/** The marker's contents for `version`. */
export function formatMarkerText(version: number): string {
  return `velocity\nformat-version ${version}\n`;
}

/** Parses the marker's contents; throws `CORRUPTION` when it is not a marker. */
export function parseFormatMarker(text: string, path?: string): number {
  const m = /^velocity\nformat-version (\d+)\n/.exec(text);
  if (m === null) throw corruption('format marker is malformed', path);
  return Number(m[1]);
}

/**
 * Reads the marker of the database in `dir` and checks that this code understands its version.
 * Throws `FORMAT_VERSION` for a newer format and `CORRUPTION` for a damaged marker.
 */
export function checkFormatMarker(fs: FileSystem, dir: string): number {
  const path = joinPath(dir, FORMAT_MARKER);
  const version = parseFormatMarker(fromUtf8(fs.readFile(path)), path);
  if (version > FORMAT_VERSION) {
    throw new VelocityError(
      'FORMAT_VERSION',
      `database format version ${version} is newer than this Velocity understands (${FORMAT_VERSION})`,
      { path },
    );
  }
  if (version < 1) throw corruption(`format version ${version} is not valid`, path);
  return version;
}

/** Writes the marker durably: temporary file, fsync, rename, directory fsync. */
export function writeFormatMarker(fs: FileSystem, dir: string, version = BASE_FORMAT_VERSION): void {
  const path = joinPath(dir, FORMAT_MARKER);
  const temp = `${path}${TEMP_SUFFIX}`;
  const file = fs.openWritable(temp);
  try {
    file.append(utf8(formatMarkerText(version)));
    file.sync();
  } finally {
    file.close();
  }
  fs.rename(temp, path);
  fs.syncDirectory(dir);
}

/**
 * Raises the marker of the database in `dir` to at least `version` (rewriting it durably when it is
 * lower), so that code older than `version` refuses the directory from now on.
 */
export function raiseFormatMarker(fs: FileSystem, dir: string, version: number): void {
  if (checkFormatMarker(fs, dir) < version) writeFormatMarker(fs, dir, version);
}
