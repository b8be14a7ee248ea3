/**
 * The file system of a read-only handle. Calls that would change the directory are refused with
 * `OPENED_READ_ONLY`; reads go to the real file system, except that the table files
 * the handle's versions name are opened once, when the handle learns of them, and kept open ("pinned")
 * until no version it holds names them. A writer beside it may then delete such a table (after a
 * compaction) and the handle still reads it: on POSIX an open file stays readable after its name is
 * unlinked, and Node on Windows opens files with share-delete, which gives the same.
 * @module
 */
import {
  type FileLock,
  type FileSystem,
  type OpenWritableOptions,
  type RandomAccessFile,
  VelocityError,
  type WritableFile,
} from '@velocity/core';

interface Pin {
  file: RandomAccessFile;
  /** Open views handed out by `openReadable`. */
  users: number;
  /** Unpinned while views were open: closed when the last one closes. */
  dropped: boolean;
}

/** A {@link FileSystem} that holds chosen files open (see the module comment). */
export class PinnedFiles implements FileSystem {
  private readonly pins = new Map<string, Pin>();

  constructor(readonly inner: FileSystem) {}

  /** Opens `path` and holds it open (no-op when held). Throws `NOT_FOUND` when it is gone. */
  pin(path: string): void {
    if (this.pins.has(path)) return;
    this.pins.set(path, { file: this.inner.openReadable(path), users: 0, dropped: false });
  }

  /** Lets go of every held file `keep` rejects (each closes once its last view is closed). */
  release(keep: (path: string) => boolean): void {
    for (const [path, pin] of this.pins) {
      if (keep(path)) continue;
      this.pins.delete(path);
      pin.dropped = true;
      if (pin.users === 0) pin.file.close();
    }
  }

  /** A view of the held file, or the real file when `path` is not held. */
  openReadable(path: string): RandomAccessFile {
    const pin = this.pins.get(path);
    if (pin === undefined) return this.inner.openReadable(path);
    pin.users++;
    let closed = false;
    return {
      path,
      size: pin.file.size,
      read: (offset, length) => pin.file.read(offset, length),
      close: () => {
        if (closed) return;
        closed = true;
        if (--pin.users === 0 && pin.dropped) pin.file.close();
      },
    };
  }

  readFile(path: string): Uint8Array {
    return this.inner.readFile(path);
  }
  exists(path: string): boolean {
    return this.inner.exists(path);
  }
  size(path: string): number {
    return this.inner.size(path);
  }
  list(dir: string): string[] {
    return this.inner.list(dir);
  }

  // A read-only handle never changes the directory: the calls that would are refused here as well.
  openWritable(path: string, _options?: OpenWritableOptions): WritableFile {
    throw readOnlyError('openWritable', path);
  }
  mkdir(dir: string): void {
    throw readOnlyError('mkdir', dir);
  }
  remove(path: string): void {
    throw readOnlyError('remove', path);
  }
  rename(from: string, _to: string): void {
    throw readOnlyError('rename', from);
  }
  syncDirectory(dir: string): void {
    throw readOnlyError('syncDirectory', dir);
  }
  lock(path: string): FileLock {
    throw readOnlyError('lock', path);
  }
}

/** The error of a call that would change the directory of a read-only handle. */
export function readOnlyError(call: string, path: string): VelocityError {
  return new VelocityError('OPENED_READ_ONLY', `${call} ${path}: the database was opened read-only`, {
    path,
  });
}
