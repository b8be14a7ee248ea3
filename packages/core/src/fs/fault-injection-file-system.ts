import { VelocityError } from '../errors.js';
import type {
  FileLock,
  FileSystem,
  OpenWritableOptions,
  RandomAccessFile,
  WritableFile,
} from './file-system.js';

/** The file-system calls a fault can target. */
export type FaultOperation =
  | 'openWritable'
  | 'openReadable'
  | 'readFile'
  | 'append'
  | 'flush'
  | 'sync'
  | 'close'
  | 'read'
  | 'list'
  | 'mkdir'
  | 'remove'
  | 'rename'
  | 'link'
  | 'syncDirectory'
  | 'lock';

/** Which calls a fault fails, and how. */
export interface FaultRule {
  /** Operations that count (default: every operation that writes: all but reads and listing). */
  operations?: readonly FaultOperation[];
  /** Only calls on paths for which this returns true count (default: all). */
  path?: (path: string) => boolean;
  /** Fail the n-th matching call from now (1-based). Default 1. */
  nth?: number;
  /** `'once'` fails only that call; `'forever'` also every later matching call (a dead disk). */
  mode?: 'once' | 'forever';
  /** The operating system error to simulate (default `EIO`). */
  errno?: 'ENOSPC' | 'EIO' | 'EACCES' | 'EROFS';
}

/** The operations that change storage: what a {@link FaultRule} counts by default. */
export const WRITE_OPERATIONS: readonly FaultOperation[] = [
  'openWritable',
  'append',
  'flush',
  'sync',
  'close',
  'mkdir',
  'remove',
  'rename',
  'link',
  'syncDirectory',
];

/**
 * Wraps a {@link FileSystem} and fails chosen calls with `IO_ERROR` (and an `errno` such as `ENOSPC`),
 * to test that the engine never acknowledges what a failed call did not cover. Counting comes first:
 * run a workload once with no fault armed, read {@link calls}, then loop over n = 1..calls arming
 * `{ nth: n }` to fail every call in turn.
 *
 * A failed `append` or `flush` hands nothing to the inner file: appends are held by the wrapper until
 * a flush or sync succeeds, and a failed flush drops them, as bytes that a failed write system call did
 * not write are gone. A failed `sync` leaves the data written but not durable, as a real failed fsync
 * does.
 *
 * @example
 * ```ts
 * import { FaultInjectionFileSystem, MemoryFileSystem } from '@velocity/core';
 * const faulty = new FaultInjectionFileSystem(new MemoryFileSystem());
 * faulty.arm({ operations: ['sync'], nth: 2, errno: 'EIO' }); // the second sync from now fails
 * ```
 */
export class FaultInjectionFileSystem implements FileSystem {
  private rule: Required<Omit<FaultRule, 'path'>> & { path?: (path: string) => boolean } = {
    operations: [],
    nth: 0,
    mode: 'once',
    errno: 'EIO',
  };
  private seen = 0;
  private armed = false;
  private failing = false;
  private counted = 0;
  /** How many faults were injected so far. */
  injected = 0;

  /** @param inner the file system that calls go to when they do not fail. */
  constructor(readonly inner: FileSystem) {}

  /** Matching calls counted since the last `arm()` or `reset()` (all write calls when not armed). */
  get calls(): number {
    return this.armed ? this.seen : this.counted;
  }

  /** Arms a fault (replacing any armed one) and restarts counting. */
  arm(rule: FaultRule): void {
    this.rule = {
      operations: rule.operations ?? WRITE_OPERATIONS,
      path: rule.path,
      nth: rule.nth ?? 1,
      mode: rule.mode ?? 'once',
      errno: rule.errno ?? 'EIO',
    };
    this.seen = 0;
    this.armed = true;
    this.failing = false;
  }

  /** Fails every matching call from now on (a dead disk). */
  failAll(errno: FaultRule['errno'] = 'EIO', operations?: readonly FaultOperation[]): void {
    this.arm({ operations, nth: 1, mode: 'forever', errno });
  }

  /** Disarms and resets the counters. */
  reset(): void {
    this.armed = false;
    this.failing = false;
    this.seen = 0;
    this.counted = 0;
  }

  /** Counts a call and throws if the armed fault says so. */
  check(operation: FaultOperation, path: string): void {
    if (!this.armed) {
      if (WRITE_OPERATIONS.includes(operation)) this.counted++;
      return;
    }
    if (!this.rule.operations.includes(operation)) return;
    if (this.rule.path && !this.rule.path(path)) return;
    this.seen++;
    if (this.failing || this.seen === this.rule.nth) {
      if (this.rule.mode === 'forever') this.failing = true;
      this.injected++;
      throw new VelocityError('IO_ERROR', `injected ${this.rule.errno} on ${operation} ${path}`, {
        errno: this.rule.errno,
        path,
      });
    }
  }

  openWritable(path: string, options?: OpenWritableOptions): WritableFile {
    this.check('openWritable', path);
    return new FaultyWritableFile(this, this.inner.openWritable(path, options), path);
  }

  openReadable(path: string): RandomAccessFile {
    this.check('openReadable', path);
    const inner = this.inner.openReadable(path);
    return {
      path,
      size: inner.size,
      read: (offset, length) => {
        this.check('read', path);
        return inner.read(offset, length);
      },
      // Through `read`, so that read faults and their counting apply to both.
      readInto: (offset, target) => {
        this.check('read', path);
        const bytes = inner.read(offset, target.length);
        target.set(bytes);
        return bytes.length;
      },
      close: () => inner.close(),
    };
  }

  readFile(path: string): Uint8Array {
    this.check('readFile', path);
    return this.inner.readFile(path);
  }
  exists(path: string): boolean {
    return this.inner.exists(path);
  }
  size(path: string): number {
    return this.inner.size(path);
  }
  list(dir: string): string[] {
    this.check('list', dir);
    return this.inner.list(dir);
  }
  mkdir(dir: string): void {
    this.check('mkdir', dir);
    this.inner.mkdir(dir);
  }
  remove(path: string): void {
    this.check('remove', path);
    this.inner.remove(path);
  }

  /** Present when the inner file system has it; a `remove` fault rejects it. */
  get removeAsync(): ((path: string) => Promise<void>) | undefined {
    return this.checkedAsync('remove', this.inner.removeAsync?.bind(this.inner));
  }

  /** `call` with a fault check of `operation` first (a fault rejects), or undefined without `call`. */
  private checkedAsync(
    operation: FaultOperation,
    call: ((path: string) => Promise<void>) | undefined,
  ): ((path: string) => Promise<void>) | undefined {
    if (call === undefined) return undefined;
    return (path) => {
      try {
        this.check(operation, path);
      } catch (error) {
        return Promise.reject(error);
      }
      return call(path);
    };
  }
  rename(from: string, to: string): void {
    this.check('rename', from);
    this.inner.rename(from, to);
  }
  /** Present when the inner file system has it; a `link` fault fails it (checked on the new name). */
  get link(): ((existing: string, newPath: string) => void) | undefined {
    const inner = this.inner;
    if (inner.link === undefined) return undefined;
    return (existing, newPath) => {
      this.check('link', newPath);
      inner.link!(existing, newPath);
    };
  }
  syncDirectory(dir: string): void {
    this.check('syncDirectory', dir);
    this.inner.syncDirectory(dir);
  }

  /** Present when the inner file system has it; a `syncDirectory` fault rejects it. */
  get syncDirectoryAsync(): ((dir: string) => Promise<void>) | undefined {
    return this.checkedAsync('syncDirectory', this.inner.syncDirectoryAsync?.bind(this.inner));
  }
  lock(path: string): FileLock {
    this.check('lock', path);
    return this.inner.lock(path);
  }
}

/**
 * A writable file of {@link FaultInjectionFileSystem}: appends wait here until `flush()` or `sync()`
 * hands them to the inner file, so that a failed flush can drop them (the inner file's own buffer
 * would otherwise write them at close).
 */
class FaultyWritableFile implements WritableFile {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly faults: FaultInjectionFileSystem,
    private readonly inner: WritableFile,
    readonly path: string,
  ) {}

  get size(): number {
    return this.inner.size + this.pendingBytes;
  }

  append(data: Uint8Array): void {
    this.faults.check('append', this.path);
    this.pending.push(data.slice());
    this.pendingBytes += data.length;
  }

  /** Hands the held appends to the inner file. */
  private handOver(): void {
    const parts = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const part of parts) this.inner.append(part);
  }

  flush(): void {
    try {
      this.faults.check('flush', this.path);
    } catch (error) {
      this.pending = [];
      this.pendingBytes = 0;
      throw error;
    }
    this.handOver();
    this.inner.flush();
  }

  sync(): void {
    this.handOver();
    this.faults.check('sync', this.path);
    this.inner.sync();
  }

  /** Present when the inner file has it; a `sync` fault rejects it. */
  get syncAsync(): (() => Promise<void>) | undefined {
    const inner = this.inner;
    if (inner.syncAsync === undefined) return undefined;
    return () => {
      try {
        this.handOver();
        this.faults.check('sync', this.path);
      } catch (error) {
        return Promise.reject(error);
      }
      return inner.syncAsync!();
    };
  }

  close(): void {
    this.faults.check('close', this.path);
    this.handOver();
    this.inner.close();
  }
}
