import * as fs from 'node:fs';
import type {
  FileLock,
  FileSystem,
  OpenWritableOptions,
  RandomAccessFile,
  WritableFile,
} from '../fs/file-system.js';
import { fromNodeError, nodeCall } from './errors.js';
import { NodeRandomAccessFile, NodeWritableFile } from './node-files.js';
import { acquireProcessLock } from './process-lock.js';

/** Directory fsync failures that mean "this platform cannot sync directories", not lost data. */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'EPERM', 'EBADF']);

/**
 * The {@link FileSystem} over Node's synchronous `fs` calls: a real disk with real fsyncs.
 *
 * - Appends are buffered in the process (64 KiB) until `flush`/`sync`/`close`.
 * - `sync()` is `fdatasync`; `syncDirectory()` opens the directory and `fsync`s it (platforms that
 *   cannot, such as Windows, report EISDIR/EPERM and the call is a no-op there).
 * - `link()` is `link(2)`, a hard link (`EXDEV` across devices, `EPERM` where there are none).
 * - `lock()` is described in `process-lock.ts`: a pid file created atomically, safe against a holder
 *   killed with SIGKILL.
 * - Errors become `VelocityError`s: `NOT_FOUND` for ENOENT, `IO_ERROR` with `errno` for the rest. An
 *   fsync failure is always reported.
 *
 * @example
 * ```ts
 * import { NodeFileSystem } from '@velocity/core/node';
 * const fs = new NodeFileSystem();
 * fs.mkdir('/tmp/example');
 * const f = fs.openWritable('/tmp/example/data');
 * f.append(new Uint8Array([1, 2, 3]));
 * f.sync();
 * f.close();
 * fs.syncDirectory('/tmp/example');
 * ```
 */
export class NodeFileSystem implements FileSystem {
  openWritable(path: string, options: OpenWritableOptions = {}): WritableFile {
    return new NodeWritableFile(path, options.append ?? false);
  }

  openReadable(path: string): RandomAccessFile {
    return new NodeRandomAccessFile(path);
  }

  readFile(path: string): Uint8Array {
    const buffer = nodeCall('read', path, () => fs.readFileSync(path));
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  exists(path: string): boolean {
    return fs.existsSync(path);
  }

  size(path: string): number {
    return nodeCall('stat', path, () => fs.statSync(path).size);
  }

  list(dir: string): string[] {
    return nodeCall('readdir', dir, () => fs.readdirSync(dir)).sort();
  }

  mkdir(dir: string): void {
    nodeCall('mkdir', dir, () => fs.mkdirSync(dir, { recursive: true }));
  }

  remove(path: string): void {
    nodeCall('unlink', path, () => fs.unlinkSync(path));
  }

  removeAsync(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      fs.unlink(path, (error) => (error === null ? resolve() : reject(fromNodeError(error, 'unlink', path))));
    });
  }

  link(existing: string, newPath: string): void {
    nodeCall('link', existing, () => fs.linkSync(existing, newPath));
  }

  rename(from: string, to: string): void {
    nodeCall('rename', from, () => fs.renameSync(from, to));
  }

  syncDirectory(dir: string): void {
    let fd: number;
    try {
      fd = fs.openSync(dir, 'r');
    } catch (error) {
      if (DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) return;
      nodeCall('open', dir, () => {
        throw error;
      });
      return;
    }
    try {
      fs.fsyncSync(fd);
    } catch (error) {
      if (!DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) {
        nodeCall('fsync', dir, () => {
          throw error;
        });
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  syncDirectoryAsync(dir: string): Promise<void> {
    const unsupported = (error: NodeJS.ErrnoException) => DIRECTORY_SYNC_UNSUPPORTED.has(error.code ?? '');
    return new Promise((resolve, reject) => {
      fs.open(dir, 'r', (openError, fd) => {
        if (openError !== null) {
          return unsupported(openError) ? resolve() : reject(fromNodeError(openError, 'open', dir));
        }
        fs.fsync(fd, (syncError) => {
          fs.close(fd, () => {
            if (syncError === null || unsupported(syncError)) resolve();
            else reject(fromNodeError(syncError, 'fsync', dir));
          });
        });
      });
    });
  }

  lock(path: string): FileLock {
    return acquireProcessLock(path);
  }
}
