/**
 * Cleaning up after a failure, where a second failure must not hide the first one.
 * @module
 */
import type { FileSystem, WritableFile } from '@velocity/core';

/** Removes a file, ignoring failures (it is garbage either way). */
export function removeQuietly(fs: FileSystem, path: string): void {
  try {
    fs.remove(path);
  } catch {
    // Left for the next obsolete-file sweep.
  }
}

/** Closes a file, ignoring failures (the caller is already failing). */
export function closeQuietly(file: WritableFile): void {
  try {
    file.close();
  } catch {
    // Already failing.
  }
}
