import {
  type FileLock,
  type FileSystem,
  MemoryFileSystem,
  type OpenWritableOptions,
  type RandomAccessFile,
  VelocityError,
  type WritableFile,
} from '@velocity/core';

/** Operations a {@link FaultyFileSystem} can fail. */
export type FaultOp = 'append' | 'flush' | 'sync' | 'openWritable' | 'rename' | 'syncDirectory' | 'read';

/**
 * A small test double: a MemoryFileSystem whose chosen operations on matching paths throw `IO_ERROR`
 * (`EIO`) while armed. (Core's FaultInjectionFileSystem does this more thoroughly; this keeps these
 * tests independent of it.)
 */
export class FaultyFileSystem implements FileSystem {
  readonly inner = new MemoryFileSystem();
  private fault: { op: FaultOp; path: RegExp } | undefined;
  /** Faults raised so far. */
  raised = 0;

  arm(op: FaultOp, path: RegExp = /./): void {
    this.fault = { op, path };
  }

  disarm(): void {
    this.fault = undefined;
  }

  check(op: FaultOp, path: string): void {
    const f = this.fault;
    if (f !== undefined && f.op === op && f.path.test(path)) {
      this.raised++;
      throw new VelocityError('IO_ERROR', `injected ${op} failure on ${path}`, { errno: 'EIO', path });
    }
  }

  openWritable(path: string, options?: OpenWritableOptions): WritableFile {
    this.check('openWritable', path);
    const file = this.inner.openWritable(path, options);
    return {
      path,
      get size() {
        return file.size;
      },
      append: (data) => {
        this.check('append', path);
        file.append(data);
      },
      flush: () => {
        this.check('flush', path);
        file.flush();
      },
      sync: () => {
        this.check('sync', path);
        file.sync();
      },
      close: () => file.close(),
    };
  }
  openReadable(path: string): RandomAccessFile {
    const file = this.inner.openReadable(path);
    return {
      path,
      size: file.size,
      read: (offset, length) => {
        this.check('read', path);
        return file.read(offset, length);
      },
      close: () => file.close(),
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
  mkdir(dir: string): void {
    this.inner.mkdir(dir);
  }
  remove(path: string): void {
    this.inner.remove(path);
  }
  rename(from: string, to: string): void {
    this.check('rename', to);
    this.inner.rename(from, to);
  }
  syncDirectory(dir: string): void {
    this.check('syncDirectory', dir);
    this.inner.syncDirectory(dir);
  }
  lock(path: string): FileLock {
    return this.inner.lock(path);
  }
}
