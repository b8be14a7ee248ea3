/**
 * Everything the engine does with storage goes through this interface, so the same engine runs on a
 * real disk ({@link https://nodejs.org | Node}: `NodeFileSystem` from `@velocity/core/node`), in memory
 * with simulated power loss (`MemoryFileSystem`), or under injected faults (`FaultInjectionFileSystem`).
 *
 * The interface is synchronous. On Node the synchronous file calls avoid a thread-pool round trip per
 * call, which measured several times faster for the engine's small appends and block reads; the engine
 * keeps the event loop responsive by slicing long work, not by awaiting each I/O.
 *
 * Paths are strings with `/` separators. Every method reports failure by throwing a `VelocityError`:
 * `NOT_FOUND` for a missing file or directory, `LOCKED` from {@link FileSystem.lock}, `IO_ERROR` (with
 * `errno`) for anything the operating system refuses.
 *
 * Durability model (what survives a power loss): bytes appended to a file are durable once that file's
 * `sync()` returns; the existence, name or removal of a directory entry is durable once
 * `syncDirectory()` of its parent returns. What survives a process kill: everything written out of the
 * process, that is everything `append`ed and then `flush`ed (or synced).
 * @module
 */

/** A file opened for appending. */
export interface WritableFile {
  /** The file's path. */
  readonly path: string;
  /** Total bytes appended so far (including bytes still buffered). */
  readonly size: number;
  /** Appends bytes. They may be buffered in the process until `flush()` or `sync()`. */
  append(data: Uint8Array): void;
  /** Hands buffered bytes to the operating system (they then survive a process kill). */
  flush(): void;
  /** Flushes and makes the file's contents durable (fsync/fdatasync). */
  sync(): void;
  /**
   * Optional: flushes now, then makes the contents durable off the calling thread where the platform
   * can (Node: `fdatasync` on libuv's thread pool). Everything appended before the call is durable
   * when the promise resolves; it rejects, like `sync()` throws, when the sync failed. No other call
   * may be made on the file until it settled.
   */
  syncAsync?(): Promise<void>;
  /** Flushes and closes. Does not sync. Safe to call twice. */
  close(): void;
}

/** A file opened for positional reads. */
export interface RandomAccessFile {
  /** The file's path. */
  readonly path: string;
  /** The file's size when it was opened. */
  readonly size: number;
  /**
   * Reads up to `length` bytes at `offset`. Returns fewer only at end of file. The returned array is
   * owned by the caller.
   */
  read(offset: number, length: number): Uint8Array;
  /**
   * Optional: reads up to `target.length` bytes at `offset` into `target` and returns how many were
   * read (fewer only at end of file), so that a caller can read into memory it recycles instead of a
   * new array per read. Callers fall back to {@link RandomAccessFile.read} when it is absent.
   */
  readInto?(offset: number, target: Uint8Array): number;
  /** Closes the file. Safe to call twice. */
  close(): void;
}

/** A held lock; release it to let another handle in. */
export interface FileLock {
  /** The lock file's path. */
  readonly path: string;
  /** Releases the lock. Safe to call twice. */
  release(): void;
}

/** Options of {@link FileSystem.openWritable}. */
export interface OpenWritableOptions {
  /** Keep existing contents and append after them (default false: create or truncate). */
  append?: boolean;
}

/** The storage operations Velocity needs. */
export interface FileSystem {
  /** Opens `path` for appending, creating it; truncates it unless `options.append`. */
  openWritable(path: string, options?: OpenWritableOptions): WritableFile;
  /** Opens an existing file for positional reads. */
  openReadable(path: string): RandomAccessFile;
  /** Reads a whole file. */
  readFile(path: string): Uint8Array;
  /** True when a file or directory exists at `path`. */
  exists(path: string): boolean;
  /** Size of a file in bytes. */
  size(path: string): number;
  /** Names (not paths) of the entries of a directory, sorted. */
  list(dir: string): string[];
  /** Creates a directory and any missing parents; succeeds if it exists. */
  mkdir(dir: string): void;
  /** Removes a file. */
  remove(path: string): void;
  /**
   * Optional: removes a file off the calling thread (Node: `unlink` on libuv's thread pool), for
   * deletions nothing waits for, such as obsolete files. Rejects like `remove` throws.
   */
  removeAsync?(path: string): Promise<void>;
  /**
   * Optional: makes `newPath` a second name of the existing file `existing` (a hard link). Both names
   * then read the same bytes, and removing one leaves the other; the new name is durable once
   * `syncDirectory()` of its parent returns. Throws `NOT_FOUND` when `existing` is missing, `IO_ERROR`
   * with `errno: 'EEXIST'` when `newPath` exists, and `IO_ERROR` with `EXDEV`, `EPERM` or the like where
   * the two names cannot share a file (another device, a file system without hard links): callers then
   * copy instead. Checkpoints use it for table files.
   */
  link?(existing: string, newPath: string): void;
  /** Atomically renames a file, replacing the target if it exists. */
  rename(from: string, to: string): void;
  /** Makes the directory's entries (creations, renames, removals) durable. */
  syncDirectory(dir: string): void;
  /** Optional: {@link FileSystem.syncDirectory} off the calling thread (Node: libuv's thread pool). */
  syncDirectoryAsync?(dir: string): Promise<void>;
  /**
   * Takes an exclusive lock named by `path` (a file in the database directory), keeping out other
   * handles in this process and other processes. Throws `LOCKED` when held elsewhere. A lock whose
   * holder died must not block a later `lock()`.
   */
  lock(path: string): FileLock;
}

/** Joins path segments with `/`, without doubling separators. */
export function joinPath(...parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (part === '') continue;
    if (out === '' || out.endsWith('/')) out += part;
    else out += `/${part}`;
  }
  return out;
}

/** The directory part of a `/`-separated path (`'.'` when there is none). */
export function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return path.slice(0, i);
}

/** The last segment of a `/`-separated path. */
export function basenameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}
