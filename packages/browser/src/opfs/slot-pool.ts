/**
 * The pool of slots behind an {@link OpfsFileSystem}. Opening an OPFS sync access handle is
 * asynchronous while the `FileSystem` interface is synchronous, so handles are opened ahead of need:
 * at open, every slot file of the pool directory (`slot-0000`, `slot-0001`, ...) is opened and its
 * header read; afterwards, whenever fewer than `minFree` slots are free, more are created in the
 * background, so a synchronous `take()` finds one ready. (The same idea as SQLite's `opfs-sahpool`.)
 * @module
 */
import { VelocityError } from '@velocity/core';
import { domErrorName, fromDomError } from './dom-errors.js';
import type { OpfsDirectoryHandle, SyncAccessHandle } from './opfs-types.js';
import { HEADER_SIZE, decodeSlotHeader } from './slot-header.js';
import { type ByteBudget, Slot } from './slot.js';

/** Sizing of a {@link SlotPool}. */
export interface SlotPoolOptions {
  /** Slots the pool has at least once opened. */
  initialSlots: number;
  /** Below this many free slots, more are created in the background. */
  minFree: number;
  /** How many slots one background growth step adds. */
  growBy: number;
  /** Limit on the bytes of all slot files. */
  quotaBytes: number;
  /** How long to keep retrying a handle still held by a worker that just ended, in ms. */
  openRetryMs: number;
  /** Open handles with `mode: 'readwrite-unsafe'`, so that the flusher may open its own too. */
  shared?: boolean;
}

const SLOT_NAME = /^slot-(\d+)$/;

function slotName(index: number): string {
  return `slot-${String(index).padStart(4, '0')}`;
}

/** Opens a sync access handle, retrying while a just-terminated worker's handle is being released. */
async function openHandle(
  dir: OpfsDirectoryHandle,
  name: string,
  options: SlotPoolOptions,
): Promise<SyncAccessHandle> {
  const file = await dir.getFileHandle(name, { create: true });
  const deadline = Date.now() + options.openRetryMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      return await file.createSyncAccessHandle(options.shared ? { mode: 'readwrite-unsafe' } : undefined);
    } catch (error) {
      if (domErrorName(error) !== 'NoModificationAllowedError' || Date.now() > deadline) {
        throw fromDomError(error, name);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** The pre-opened slots of one pool directory. */
export class SlotPool {
  private readonly free: Slot[] = [];
  private nextIndex = 0;
  private growing: Promise<void> | undefined;
  private closed = false;
  /** Error of the last background growth, reported by the next `take()` that finds no slot. */
  private growError: unknown;

  private constructor(
    private readonly dir: OpfsDirectoryHandle,
    private readonly options: SlotPoolOptions,
    /** Every slot, free or not. */
    readonly slots: Slot[],
    readonly budget: ByteBudget,
  ) {}

  /** Opens every slot in `dir` and creates slots up to `initialSlots`. */
  static async open(dir: OpfsDirectoryHandle, options: SlotPoolOptions): Promise<SlotPool> {
    const names: string[] = [];
    for await (const name of dir.keys()) if (SLOT_NAME.test(name)) names.push(name);
    names.sort();
    const budget: ByteBudget = { used: 0, limit: options.quotaBytes };
    const pool = new SlotPool(dir, options, [], budget);
    try {
      for (const name of names) {
        const handle = await openHandle(dir, name, options);
        const head = new Uint8Array(HEADER_SIZE);
        handle.read(head, { at: 0 });
        budget.used += handle.getSize();
        pool.adopt(new Slot(name, handle, decodeSlotHeader(head), budget));
        pool.nextIndex = Math.max(pool.nextIndex, Number(SLOT_NAME.exec(name)?.[1]) + 1);
      }
      await pool.add(Math.max(0, options.initialSlots - pool.slots.length));
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  private adopt(slot: Slot): void {
    this.slots.push(slot);
    if (slot.header === undefined) this.free.push(slot);
  }

  private async add(count: number): Promise<void> {
    for (let i = 0; i < count && !this.closed; i++) {
      const name = slotName(this.nextIndex++);
      const handle = await openHandle(this.dir, name, this.options);
      if (this.closed) {
        handle.close();
        return;
      }
      this.adopt(new Slot(name, handle, undefined, this.budget));
    }
  }

  /** Number of free slots ready now. */
  get freeCount(): number {
    return this.free.length;
  }

  /** Takes a free slot now (synchronously); starts growing the pool when few are left. */
  take(path: string): Slot {
    const slot = this.free.pop();
    this.growIfLow();
    if (slot === undefined) {
      throw new VelocityError('IO_ERROR', `no free OPFS slot for ${path}: the pool is still growing`, {
        errno: 'EMFILE',
        path,
        cause: this.growError,
      });
    }
    return slot;
  }

  /** Returns a slot whose header was cleared to the free list, its data cut away. */
  release(slot: Slot): void {
    slot.truncate(0);
    this.free.push(slot);
  }

  private growIfLow(): void {
    if (this.growing !== undefined || this.closed || this.free.length >= this.options.minFree) return;
    this.growing = this.add(this.options.growBy).then(
      () => {
        this.growing = undefined;
        this.growIfLow();
      },
      (error) => {
        this.growing = undefined;
        this.growError = error; // not retried by itself: the next take() reports it and tries again
      },
    );
  }

  /** Resolves once at least `count` slots are free (creating them as needed). */
  async reserve(count: number): Promise<void> {
    await this.growing;
    await this.add(count - this.free.length);
  }

  /** Closes every handle. */
  close(): void {
    this.closed = true;
    for (const slot of this.slots) slot.close();
  }
}
