/**
 * A Velocity `FileSystem` on the Origin Private File System, for a dedicated worker.
 * @module
 */
import {
  type FileLock,
  type FileSystem,
  type OpenWritableOptions,
  type RandomAccessFile,
  VelocityError,
  type WritableFile,
  dirnameOf,
} from '@velocity/core';
import { Flusher } from './flusher.js';
import { OpfsReadableFile, OpfsWritableFile } from './opfs-files.js';
import { type OpfsDirectoryHandle, opfsDirectory, opfsRoot } from './opfs-types.js';
import type { SlotKind } from './slot-header.js';
import { SlotPool } from './slot-pool.js';
import type { Slot } from './slot.js';
import { type HeldWebLock, tryWebLock } from './web-lock.js';

/** Options of {@link OpfsFileSystem.open}. */
export interface OpfsOptions {
  /** Directory of the pool's slot files, below the OPFS root. Default `'velocity'`. */
  directory?: string;
  /** Slots opened at first use. Default 32. */
  initialSlots?: number;
  /** Background growth starts when fewer slots than this are free. Default 12. */
  minFreeSlots?: number;
  /** Slots added per growth step. Default 16. */
  growBy?: number;
  /**
   * Limit on the pool's bytes, below the browser's own quota: writes past it fail like a full quota
   * (`IO_ERROR`, errno `ENOSPC`). For tests; default unlimited.
   */
  quotaBytes?: number;
  /** Take the Web Lock `velocity:<directory>` so one worker at a time uses the pool. Default true. */
  webLock?: boolean;
  /**
   * How long to keep trying for a lock held elsewhere before failing with `LOCKED`, in ms. Default 0.
   * After a reload, the previous page's worker may still hold it for a moment.
   */
  lockTimeoutMs?: number;
  /**
   * Run the `flush()` of `syncAsync` (table files of memtable flushes, the log's background syncs) in
   * a helper worker with its own handles on the pool's files, off the calling worker's thread.
   * Default true; where the helper cannot run, those flushes run on this thread.
   */
  flushInHelper?: boolean;
}

function notFound(what: string, path: string): VelocityError {
  return new VelocityError('NOT_FOUND', `no such ${what}: ${path}`, { path, errno: 'ENOENT' });
}

function normalize(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * A {@link FileSystem} over OPFS sync access handles, usable only inside a dedicated worker (the only
 * place browsers offer `createSyncAccessHandle`). Each logical file or directory lives in one slot
 * file of a pool, named by a header in the slot (format in `slot-header.ts`); handles are opened ahead
 * of need so every call is synchronous. `sync()` is the handle's `flush()` (`syncAsync()` runs it in a
 * helper worker, see `flusher.ts`); directory changes are
 * flushed as they happen, so `syncDirectory` has nothing left to do. One worker at a time may use a
 * pool: `open` takes a Web Lock and fails with `LOCKED` when another tab or worker holds it.
 *
 * @example
 * ```ts
 * // inside a dedicated worker
 * import { DB } from '@velocity/db';
 * import { OpfsFileSystem } from '@velocity/browser';
 * const fs = await OpfsFileSystem.open({ directory: 'velocity/my-db' });
 * const db = await DB.open('/db', { fs });
 * ```
 */
export class OpfsFileSystem implements FileSystem {
  private readonly files = new Map<string, Slot>();
  private readonly dirs = new Map<string, Slot | undefined>([
    ['/', undefined],
    ['.', undefined],
  ]);
  private readonly locks = new Set<string>();
  /** Free slots lent to the merge worker's jobs, by slot file name (see {@link OpfsFileSystem.lend}). */
  private readonly lent = new Map<string, Slot>();
  private generation = 0;

  private constructor(
    private readonly pool: SlotPool,
    /** True when the pool's handles are `readwrite-unsafe`, so other workers may open theirs. */
    private readonly shared: boolean,
    private readonly webLock: HeldWebLock | undefined,
    private readonly flusher: Flusher | undefined,
  ) {
    const winners = new Map<string, Slot>();
    for (const slot of pool.slots) {
      const header = slot.header;
      if (header === undefined) continue;
      this.generation = Math.max(this.generation, header.generation);
      const other = winners.get(header.path);
      if (other === undefined || other.header!.generation < header.generation) winners.set(header.path, slot);
    }
    for (const slot of pool.slots) {
      const header = slot.header;
      if (header === undefined) continue;
      if (winners.get(header.path) !== slot) {
        this.freeSlot(slot); // the loser of a rename cut short by a crash
      } else if (header.kind === 'file') {
        this.files.set(header.path, slot);
      } else {
        this.dirs.set(header.path, slot);
      }
    }
  }

  /** Opens (creating) the pool in `options.directory`; rejects with `LOCKED` if it is in use. */
  static async open(options: OpfsOptions = {}): Promise<OpfsFileSystem> {
    const directory = options.directory ?? 'velocity';
    let lock: HeldWebLock | undefined;
    if (options.webLock ?? true) {
      const deadline = Date.now() + (options.lockTimeoutMs ?? 0);
      lock = await tryWebLock(`velocity:${directory}`);
      while (lock === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        lock = await tryWebLock(`velocity:${directory}`);
      }
      if (lock === undefined) {
        throw new VelocityError(
          'LOCKED',
          `the database in OPFS ${directory} is open in another tab or worker`,
        );
      }
    }
    const shared = options.flushInHelper ?? true;
    try {
      const dir: OpfsDirectoryHandle = await opfsDirectory(await opfsRoot(), directory);
      const pool = await SlotPool.open(dir, {
        initialSlots: options.initialSlots ?? 32,
        minFree: options.minFreeSlots ?? 12,
        growBy: options.growBy ?? 16,
        quotaBytes: options.quotaBytes ?? Number.POSITIVE_INFINITY,
        openRetryMs: 3000,
        shared,
      });
      return new OpfsFileSystem(pool, shared, lock, shared ? Flusher.start(directory) : undefined);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  /**
   * How many `syncAsync` flushes ran in the helper worker and how many on this thread (the helper
   * is off, failed to start, or could not open a file); undefined without a helper.
   */
  get helperFlushes():
    | {
        /** Flushes that ran in the helper worker. */
        readonly helper: number;
        /** Flushes that ran on this thread. */
        readonly here: number;
      }
    | undefined {
    return this.flusher?.counts;
  }

  /** Free slots ready for new files now. */
  get freeSlots(): number {
    return this.pool.freeCount;
  }

  /** Resolves once at least `count` slots are free. */
  reserve(count: number): Promise<void> {
    return this.pool.reserve(count);
  }

  /**
   * @internal The slot file that holds `path`, for a merge worker that opens it on its own handle;
   * undefined when another worker cannot open one (the pool's handles are exclusive).
   */
  slotName(path: string): string | undefined {
    return this.shared ? this.file(path).name : undefined;
  }

  /**
   * @internal Takes `count` free slots out of the pool for a merge worker's job, each with a
   * generation reserved for its header, and the bytes the pool may still grow by (null: no limit).
   * The slots stay out of the pool until {@link OpfsFileSystem.takeBack}; slots never taken back
   * (a merge worker that crashed or was stopped) are reused only after a reopen, which reads their
   * headers like any other slot's.
   */
  async lend(count: number): Promise<{
    slots: { name: string; generation: number }[];
    room: number | null;
  }> {
    while (this.pool.freeCount < count) await this.pool.reserve(count);
    const slots: { name: string; generation: number }[] = [];
    for (let i = 0; i < count; i++) {
      const slot = this.pool.take('a merge output');
      this.lent.set(slot.name, slot);
      slots.push({ name: slot.name, generation: ++this.generation });
    }
    const { used, limit } = this.pool.budget;
    return { slots, room: Number.isFinite(limit) ? Math.max(0, limit - used) : null };
  }

  /**
   * @internal Takes lent slots back once their job answered: a slot whose header (read from disk)
   * names a file becomes that file here; the others return to the pool.
   */
  takeBack(names: readonly string[]): void {
    for (const name of names) {
      const slot = this.lent.get(name);
      if (slot === undefined) continue;
      this.lent.delete(name);
      const header = slot.reload();
      if (header?.kind === 'file' && !this.files.has(header.path)) {
        slot.header = header;
        this.generation = Math.max(this.generation, header.generation);
        this.files.set(header.path, slot);
      } else {
        if (header !== undefined) slot.setHeader(undefined);
        this.pool.release(slot);
      }
    }
  }

  /** Closes every handle and releases the Web Lock. Open files must not be used afterwards. */
  close(): void {
    this.flusher?.close();
    this.pool.close();
    this.webLock?.release();
  }

  private requireParent(path: string): void {
    const dir = dirnameOf(path);
    if (!this.dirs.has(dir)) throw notFound('directory', dir);
  }

  private file(path: string): Slot {
    const slot = this.files.get(normalize(path));
    if (slot === undefined) throw notFound('file', path);
    return slot;
  }

  private claim(path: string, kind: SlotKind): Slot {
    const slot = this.pool.take(path);
    try {
      slot.setHeader({ kind, path, generation: ++this.generation });
    } catch (error) {
      this.pool.release(slot);
      throw error;
    }
    return slot;
  }

  private freeSlot(slot: Slot): void {
    slot.setHeader(undefined);
    if (slot.openCount > 0) slot.removed = true;
    else this.pool.release(slot);
  }

  private opened(slot: Slot): () => void {
    slot.openCount++;
    return () => {
      slot.openCount--;
      if (slot.openCount === 0 && slot.removed) {
        slot.removed = false;
        this.pool.release(slot);
      }
    };
  }

  openWritable(path: string, options: OpenWritableOptions = {}): WritableFile {
    path = normalize(path);
    this.requireParent(path);
    let slot = this.files.get(path);
    if (slot === undefined) {
      slot = this.claim(path, 'file');
      this.files.set(path, slot);
    } else if (!options.append) {
      slot.truncate(0);
    }
    return new OpfsWritableFile(path, slot, this.opened(slot), this.flusher);
  }

  openReadable(path: string): RandomAccessFile {
    const slot = this.file(path);
    return new OpfsReadableFile(path, slot, this.opened(slot));
  }

  readFile(path: string): Uint8Array {
    const slot = this.file(path);
    return slot.read(0, slot.dataSize);
  }

  exists(path: string): boolean {
    path = normalize(path);
    return this.files.has(path) || this.dirs.has(path);
  }

  size(path: string): number {
    return this.file(path).dataSize;
  }

  list(dir: string): string[] {
    dir = normalize(dir);
    if (!this.dirs.has(dir)) throw notFound('directory', dir);
    const names: string[] = [];
    for (const path of [...this.files.keys(), ...this.dirs.keys()]) {
      if (path !== dir && dirnameOf(path) === dir) names.push(path.slice(path.lastIndexOf('/') + 1));
    }
    return names.sort();
  }

  mkdir(dir: string): void {
    dir = normalize(dir);
    if (this.dirs.has(dir)) return;
    if (this.files.has(dir)) {
      throw new VelocityError('IO_ERROR', `a file is in the way: ${dir}`, { errno: 'EEXIST', path: dir });
    }
    const parent = dirnameOf(dir);
    if (parent !== dir) this.mkdir(parent);
    this.dirs.set(dir, this.claim(dir, 'directory'));
  }

  remove(path: string): void {
    path = normalize(path);
    const slot = this.file(path);
    this.files.delete(path);
    this.freeSlot(slot);
  }

  rename(from: string, to: string): void {
    from = normalize(from);
    to = normalize(to);
    const slot = this.file(from);
    this.requireParent(to);
    if (from === to) return;
    const target = this.files.get(to);
    // The new header (higher generation) is flushed before the target is freed: a crash between the
    // two leaves two claims on `to`, and reopening keeps the newer.
    slot.setHeader({ kind: 'file', path: to, generation: ++this.generation });
    this.files.delete(from);
    this.files.set(to, slot);
    if (target !== undefined) this.freeSlot(target);
  }

  syncDirectory(dir: string): void {
    if (!this.dirs.has(normalize(dir))) throw notFound('directory', dir);
  }

  lock(path: string): FileLock {
    path = normalize(path);
    if (this.locks.has(path)) throw new VelocityError('LOCKED', `lock is held: ${path}`, { path });
    this.locks.add(path);
    let held = true;
    return {
      path,
      release: () => {
        if (held) this.locks.delete(path);
        held = false;
      },
    };
  }
}
