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
 * const fs = new MemoryFileSystem();
 * fs.mkdir('/db');
 * const f = fs.openWritable('/db/a');
 * f.append(new Uint8Array([1, 2, 3]));
 * f.sync();
 * fs.syncDirectory('/db');
 * fs.crash(); // a/ survives with its 3 bytes; unsynced data would be gone
 * ```
 */
export class MemoryFileSystem implements FileSystem {
  private live = new Map<string, MemInode>();
  private durable = new Map<string, MemInode>();
  private dirs = new Set<string>(['/', '.']);
  private locks = new Set<string>();
  private generation = 0;
  private readonly counters: MemoryFileSystemStats = {
    bytesWritten: 0,
    bytesRead: 0,
    fileSyncs: 0,
    directorySyncs: 0,
  };

  /** A copy of the I/O counters. */
  stats(): MemoryFileSystemStats {
    return { ...this.counters };
  }

  private normalize(path: string): string {
    if (path.length > 1 && path.endsWith('/')) return path.slice(0, -1);
    return path;
  }

  private requireParent(path: string): void {
    const dir = dirnameOf(path);
    if (!this.dirs.has(dir)) {
      throw new VelocityError('NOT_FOUND', `no such directory: ${dir}`, { path, errno: 'ENOENT' });
    }
  }

  private inode(path: string): MemInode {
    const node = this.live.get(this.normalize(path));
    if (!node) throw new VelocityError('NOT_FOUND', `no such file: ${path}`, { path, errno: 'ENOENT' });
    return node;
  }

  /** Throws if a handle from before the last kill/crash is used. */
  private checkGeneration(generation: number, path: string): void {
    if (generation !== this.generation) {
      throw new VelocityError('IO_ERROR', `stale handle after simulated crash: ${path}`, {
        path,
        errno: 'EBADF',
      });
    }
  }

  openWritable(path: string, options: OpenWritableOptions = {}): WritableFile {
    path = this.normalize(path);
    this.requireParent(path);
    if (this.dirs.has(path))
      throw new VelocityError('IO_ERROR', `is a directory: ${path}`, { errno: 'EISDIR' });
    let node = this.live.get(path);
    if (!node) {
      node = new MemInode();
      this.live.set(path, node);
    } else if (!options.append) {
      node.length = 0;
      node.durableLength = 0;
    }
    return new MemWritableFile(this, path, node, this.generation);
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
      this.counters.bytesWritten += bytes.length;
    }
    if (sync) {
      node.durableLength = node.length;
      this.counters.fileSyncs++;
    }
  }

  openReadable(path: string): RandomAccessFile {
    const node = this.inode(path);
    const generation = this.generation;
    const size = node.length;
    return {
      path,
      size,
      read: (offset: number, length: number): Uint8Array => {
        this.checkGeneration(generation, path);
        const end = Math.min(offset + length, node.length);
        if (offset >= end) return new Uint8Array(0);
        this.counters.bytesRead += end - offset;
        return node.data.slice(offset, end);
      },
      close: () => {},
    };
  }

  readFile(path: string): Uint8Array {
    const node = this.inode(path);
    this.counters.bytesRead += node.length;
    return node.data.slice(0, node.length);
  }

  exists(path: string): boolean {
    path = this.normalize(path);
    return this.live.has(path) || this.dirs.has(path);
  }

  size(path: string): number {
    return this.inode(path).length;
  }

  list(dir: string): string[] {
    dir = this.normalize(dir);
    if (!this.dirs.has(dir)) throw new VelocityError('NOT_FOUND', `no such directory: ${dir}`, { path: dir });
    const names = new Set<string>();
    const prefix = dir === '/' ? '/' : `${dir}/`;
    for (const path of [...this.live.keys(), ...this.dirs]) {
      if (path.startsWith(prefix) && path.length > prefix.length) {
        const rest = path.slice(prefix.length);
        if (!rest.includes('/')) names.add(rest);
      }
    }
    return [...names].sort();
  }

  mkdir(dir: string): void {
    dir = this.normalize(dir);
    const parts = dir.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/') || '/';
      if (this.live.has(p))
        throw new VelocityError('IO_ERROR', `not a directory: ${p}`, { errno: 'ENOTDIR' });
      this.dirs.add(p);
    }
  }

  remove(path: string): void {
    path = this.normalize(path);
    this.inode(path);
    this.live.delete(path);
  }

  rename(from: string, to: string): void {
    from = this.normalize(from);
    to = this.normalize(to);
    const node = this.inode(from);
    this.requireParent(to);
    this.live.delete(from);
    this.live.set(to, node);
  }

  syncDirectory(dir: string): void {
    dir = this.normalize(dir);
    if (!this.dirs.has(dir)) throw new VelocityError('NOT_FOUND', `no such directory: ${dir}`, { path: dir });
    this.counters.directorySyncs++;
    for (const path of [...this.durable.keys()]) {
      if (dirnameOf(path) === dir && !this.live.has(path)) this.durable.delete(path);
    }
    for (const [path, node] of this.live) {
      if (dirnameOf(path) === dir) this.durable.set(path, node);
    }
  }

  lock(path: string): FileLock {
    path = this.normalize(path);
    this.requireParent(path);
    if (this.locks.has(path)) throw new VelocityError('LOCKED', `lock is held: ${path}`, { path });
    this.locks.add(path);
    if (!this.live.has(path)) this.live.set(path, new MemInode());
    const generation = this.generation;
    let released = false;
    return {
      path,
      release: () => {
        if (released) return;
        released = true;
        if (generation === this.generation) this.locks.delete(path);
      },
    };
  }

  /**
   * Simulates the process being killed: locks are released and open handles fail from now on, but
   * everything handed to the "operating system" (flushed or synced) stays. Bytes still buffered in
   * writable handles are lost.
   */
  kill(): void {
    this.generation++;
    this.locks.clear();
  }

  /**
   * Simulates power loss: as {@link kill}, and additionally every byte not covered by a file sync and
   * every create, rename or removal not covered by a directory sync is dropped.
   */
  crash(options: CrashOptions = {}): void {
    this.kill();
    const random = options.random ?? Math.random;
    const survivors = new Map<string, MemInode>();
    for (const [path, node] of this.durable) {
      let keep = node.durableLength;
      if (options.unsyncedTail === 'random' && node.length > keep) {
        keep += Math.floor(random() * (node.length - keep + 1));
      }
      node.length = Math.min(keep, node.length);
      node.durableLength = node.length;
      survivors.set(path, node);
    }
    const surviving = new Set(survivors.values());
    for (const node of this.live.values()) {
      if (!surviving.has(node)) node.durableLength = 0;
    }
    this.live = survivors;
    this.durable = new Map(survivors);
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

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
    }
  }
}
