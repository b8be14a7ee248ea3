import { VelocityError } from '../errors.js';
import {
  type FileLock,
  type FileSystem,
  type OpenWritableOptions,
  type RandomAccessFile,
  type WritableFile,
  dirnameOf,
} from './file-system.js';

/** File contents shared by every name that refers to them (an "inode"). */
class MemInode {
  data = new Uint8Array(256);
  /** Bytes handed to the "operating system" (visible to readers, lost on power loss unless synced). */
  length = 0;
  /** Bytes covered by the last `sync()`. */
  durableLength = 0;

  appendBytes(bytes: Uint8Array): void {
    const need = this.length + bytes.length;
    if (need > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(bytes, this.length);
    this.length = need;
  }
}

/** The state of a {@link MemoryFileSystem}, shared by the instance that survives a kill or crash. */
interface MemState {
  live: Map<string, MemInode>;
  durable: Map<string, MemInode>;
  dirs: Set<string>;
  locks: Set<string>;
  generation: number;
  counters: MemoryFileSystemStats;
}

/** Options of {@link MemoryFileSystem.crash}. */
export interface CrashOptions {
  /**
   * How much of each file's unsynced tail survives: `'none'` (default) drops all of it; `'random'`
   * keeps a random-length prefix of it, as a disk that wrote part of a page cache flush would.
   */
  unsyncedTail?: 'none' | 'random';
  /** Random source for `'random'` (defaults to `Math.random`), so tests can be reproducible. */
  random?: () => number;
}

/** Counters of a {@link MemoryFileSystem}. */
export interface MemoryFileSystemStats {
  /** Bytes handed to files (flushed appends). */
  bytesWritten: number;
  /** Bytes returned by reads. */
  bytesRead: number;
  /** Calls to `WritableFile.sync`. */
  fileSyncs: number;
  /** Calls to `syncDirectory`. */
  directorySyncs: number;
}

/**
 * An in-memory {@link FileSystem} that remembers what was made durable, so tests can simulate a process
 * kill ({@link MemoryFileSystem.kill}) and a power loss ({@link MemoryFileSystem.crash}). It is
 * browser-safe and is what the docs playground runs the engine on.
 *
 * Model: a file's bytes are durable up to its last `sync()`; a file's name (creation, rename, removal)
 * is durable once its directory is synced. Directories themselves are durable as soon as they exist.
 *
 * @example
 * ```ts
 * import { MemoryFileSystem } from '@velocity/core';
 * const fs = new MemoryFileSystem();
 * fs.mkdir('/db');
 * const f = fs.openWritable('/db/a');
 * f.append(new Uint8Array([1, 2, 3]));
 * f.sync();
 * fs.syncDirectory('/db');
 * const after = fs.crash(); // a survives with its 3 bytes; unsynced data would be gone
 * ```
 */
export class MemoryFileSystem implements FileSystem {
  private readonly s: MemState;
  /** Set by kill()/crash(): this instance belongs to the process that died; every call fails. */
  private dead = false;

  /** A new, empty file system. (`kill()` and `crash()` return the surviving state as a new instance.) */
  constructor(state?: MemState) {
    this.s = state ?? {
      live: new Map(),
      durable: new Map(),
      dirs: new Set(['/', '.']),
      locks: new Set(),
      generation: 0,
      counters: { bytesWritten: 0, bytesRead: 0, fileSyncs: 0, directorySyncs: 0 },
    };
  }

  /** Throws for an instance whose "process" was killed. */
  private alive(path = ''): void {
    if (this.dead) {
      throw new VelocityError('IO_ERROR', `file system of a killed process used: ${path}`, {
        path,
        errno: 'EBADF',
      });
    }
  }

  /** A copy of the I/O counters. */
  stats(): MemoryFileSystemStats {
    return { ...this.s.counters };
  }

  private normalize(path: string): string {
    if (path.length > 1 && path.endsWith('/')) return path.slice(0, -1);
    return path;
  }

  private requireParent(path: string): void {
    const dir = dirnameOf(path);
    if (!this.s.dirs.has(dir)) {
      throw new VelocityError('NOT_FOUND', `no such directory: ${dir}`, { path, errno: 'ENOENT' });
    }
  }

  private inode(path: string): MemInode {
    const node = this.s.live.get(this.normalize(path));
    if (!node) throw new VelocityError('NOT_FOUND', `no such file: ${path}`, { path, errno: 'ENOENT' });
    return node;
  }

  /** Throws if a handle from before the last kill/crash is used. */
  private checkGeneration(generation: number, path: string): void {
    this.alive(path);
    if (generation !== this.s.generation) {
      throw new VelocityError('IO_ERROR', `stale handle after simulated crash: ${path}`, {
        path,
        errno: 'EBADF',
      });
    }
  }

  openWritable(path: string, options: OpenWritableOptions = {}): WritableFile {
    this.alive(path);
    path = this.normalize(path);
    this.requireParent(path);
    if (this.s.dirs.has(path))
      throw new VelocityError('IO_ERROR', `is a directory: ${path}`, { errno: 'EISDIR' });
    let node = this.s.live.get(path);
    if (!node) {
      node = new MemInode();
      this.s.live.set(path, node);
    } else if (!options.append) {
      node.length = 0;
      node.durableLength = 0;
    }
    return new MemWritableFile(this, path, node, this.s.generation);
  }

  /** @internal Throws when a handle from before the last kill/crash is used. */
  checkHandle(generation: number, path: string): void {
    this.checkGeneration(generation, path);
  }

  /** @internal Called by writable handles. */
  writeThrough(handle: MemWritableFile, node: MemInode, bytes: Uint8Array, sync: boolean): void {
    this.checkGeneration(handle.generation, handle.path);
    if (bytes.length > 0) {
      node.appendBytes(bytes);
      this.s.counters.bytesWritten += bytes.length;
    }
    if (sync) {
      node.durableLength = node.length;
      this.s.counters.fileSyncs++;
    }
  }

  openReadable(path: string): RandomAccessFile {
    this.alive(path);
    const node = this.inode(path);
    const generation = this.s.generation;
    const size = node.length;
    return {
      path,
      size,
      read: (offset: number, length: number): Uint8Array => {
        this.checkGeneration(generation, path);
        const end = Math.min(offset + length, node.length);
        if (offset >= end) return new Uint8Array(0);
        this.s.counters.bytesRead += end - offset;
        return node.data.slice(offset, end);
      },
      readInto: (offset: number, target: Uint8Array): number => {
        this.checkGeneration(generation, path);
        const end = Math.min(offset + target.length, node.length);
        if (offset >= end) return 0;
        this.s.counters.bytesRead += end - offset;
        target.set(node.data.subarray(offset, end));
        return end - offset;
      },
      close: () => {},
    };
  }

  readFile(path: string): Uint8Array {
    this.alive(path);
    const node = this.inode(path);
    this.s.counters.bytesRead += node.length;
    return node.data.slice(0, node.length);
  }

  exists(path: string): boolean {
    this.alive(path);
    path = this.normalize(path);
    return this.s.live.has(path) || this.s.dirs.has(path);
  }

  size(path: string): number {
    this.alive(path);
    return this.inode(path).length;
  }

  list(dir: string): string[] {
    this.alive(dir);
    dir = this.normalize(dir);
    if (!this.s.dirs.has(dir))
      throw new VelocityError('NOT_FOUND', `no such directory: ${dir}`, { path: dir });
    const names = new Set<string>();
    const prefix = dir === '/' ? '/' : `${dir}/`;
    for (const path of [...this.s.live.keys(), ...this.s.dirs]) {
      if (path.startsWith(prefix) && path.length > prefix.length) {
        const rest = path.slice(prefix.length);
        if (!rest.includes('/')) names.add(rest);
      }
    }
    return [...names].sort();
  }

  mkdir(dir: string): void {
    this.alive(dir);
    dir = this.normalize(dir);
    const parts = dir.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/') || '/';
      if (this.s.live.has(p))
        throw new VelocityError('IO_ERROR', `not a directory: ${p}`, { errno: 'ENOTDIR' });
      this.s.dirs.add(p);
    }
  }

  remove(path: string): void {
    this.alive(path);
    path = this.normalize(path);
    this.inode(path);
    this.s.live.delete(path);
  }

  /** A second name for the same file (a hard link): see {@link FileSystem.link}. */
  link(existing: string, newPath: string): void {
    this.alive(existing);
    existing = this.normalize(existing);
    newPath = this.normalize(newPath);
    const node = this.inode(existing);
    this.requireParent(newPath);
    if (this.s.live.has(newPath) || this.s.dirs.has(newPath)) {
      throw new VelocityError('IO_ERROR', `file exists: ${newPath}`, { errno: 'EEXIST', path: newPath });
    }
    this.s.live.set(newPath, node);
  }

  rename(from: string, to: string): void {
    this.alive(from);
    from = this.normalize(from);
    to = this.normalize(to);
    const node = this.inode(from);
    this.requireParent(to);
    this.s.live.delete(from);
    this.s.live.set(to, node);
  }

  syncDirectory(dir: string): void {
    this.alive(dir);
    dir = this.normalize(dir);
    if (!this.s.dirs.has(dir))
      throw new VelocityError('NOT_FOUND', `no such directory: ${dir}`, { path: dir });
    this.s.counters.directorySyncs++;
    for (const path of [...this.s.durable.keys()]) {
      if (dirnameOf(path) === dir && !this.s.live.has(path)) this.s.durable.delete(path);
    }
    for (const [path, node] of this.s.live) {
      if (dirnameOf(path) === dir) this.s.durable.set(path, node);
    }
  }

  lock(path: string): FileLock {
    this.alive(path);
    path = this.normalize(path);
    this.requireParent(path);
    if (this.s.locks.has(path)) throw new VelocityError('LOCKED', `lock is held: ${path}`, { path });
    this.s.locks.add(path);
    if (!this.s.live.has(path)) this.s.live.set(path, new MemInode());
    const generation = this.s.generation;
    let released = false;
    return {
      path,
      release: () => {
        if (released) return;
        released = true;
        if (generation === this.s.generation) this.s.locks.delete(path);
      },
    };
  }

  /**
   * Simulates the process being killed: locks are released, and this instance (like every handle it
   * opened) fails from now on, as the dead process's code cannot touch files any more. Everything
   * handed to the "operating system" (flushed or synced) stays. Returns the file system as the next
   * process sees it.
   */
  kill(): MemoryFileSystem {
    this.alive();
    this.dead = true;
    this.s.generation++;
    this.s.locks.clear();
    return new MemoryFileSystem(this.s);
  }

  /**
   * Simulates power loss: as {@link kill} (this instance dies; use the returned one), and additionally
   * every byte not covered by a file sync and every create, rename or removal not covered by a
   * directory sync is dropped.
   */
  crash(options: CrashOptions = {}): MemoryFileSystem {
    const survivor = this.kill();
    const random = options.random ?? Math.random;
    const survivors = new Map<string, MemInode>();
    for (const [path, node] of this.s.durable) {
      let keep = node.durableLength;
      if (options.unsyncedTail === 'random' && node.length > keep) {
        keep += Math.floor(random() * (node.length - keep + 1));
      }
      node.length = Math.min(keep, node.length);
      node.durableLength = node.length;
      survivors.set(path, node);
    }
    const surviving = new Set(survivors.values());
    for (const node of this.s.live.values()) {
      if (!surviving.has(node)) node.durableLength = 0;
    }
    this.s.live = survivors;
    this.s.durable = new Map(survivors);
    return survivor;
  }

  /**
   * Overwrites bytes of an existing file in place (visible and durable at once), for corruption tests.
   */
  corrupt(path: string, offset: number, bytes: Uint8Array): void {
    const node = this.inode(path);
    if (offset + bytes.length > node.length) throw new RangeError('corrupt: range past end of file');
    node.data.set(bytes, offset);
  }

  /** Cuts a file to `length` bytes (visible and durable at once), for truncation tests. */
  truncate(path: string, length: number): void {
    const node = this.inode(path);
    node.length = Math.min(length, node.length);
    node.durableLength = Math.min(node.durableLength, node.length);
  }
}

/** @internal */
class MemWritableFile implements WritableFile {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private appended: number;
  private closed = false;

  constructor(
    private readonly fs: MemoryFileSystem,
    readonly path: string,
    private readonly node: MemInode,
    readonly generation: number,
  ) {
    this.appended = node.length;
  }

  get size(): number {
    return this.appended;
  }

  append(data: Uint8Array): void {
    if (this.closed) throw new VelocityError('CLOSED', `file is closed: ${this.path}`);
    this.fs.checkHandle(this.generation, this.path);
    this.pending.push(data.slice());
    this.pendingBytes += data.length;
    this.appended += data.length;
    if (this.pendingBytes >= 64 * 1024) this.flush();
  }

  private drain(sync: boolean): void {
    const parts = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let total = 0;
    for (const p of parts) total += p.length;
    const joined = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      joined.set(p, o);
      o += p.length;
    }
    this.fs.writeThrough(this, this.node, joined, sync);
  }

  flush(): void {
    if (this.closed) return;
    if (this.pendingBytes > 0) this.drain(false);
  }

  sync(): void {
    if (this.closed) throw new VelocityError('CLOSED', `file is closed: ${this.path}`);
    this.drain(true);
  }

  /** The same as `sync()`, settled as a promise (memory has no thread to hand the work to). */
  syncAsync(): Promise<void> {
    try {
      this.sync();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
    }
  }
}
