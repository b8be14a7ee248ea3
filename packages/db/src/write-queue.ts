/**
 * Group commit. Writes issued in the same tick go into one pending group; a microtask drains the
 * queue: one write-ahead-log record and one flush (or one fsync, if any write of the group asked for
 * it) per group, then the memtable inserts, then every writer of the group is answered through the
 * group's one promise. A group is never acknowledged before its log bytes reached the OS (and the disk
 * when synced).
 * @module
 */
import { type VelocityError, invalidArgument } from '@velocity/core';
import { BatchBuffer } from './batch-buffer.js';
import type { LoopYield } from './loop-yield.js';
import { MAX_BATCH_SIZE, asCallerError, asVelocityError } from './input.js';

/**
 * Schedules the drain as a microtask. Not `queueMicrotask`: on Node it wraps every callback in an
 * `AsyncResource` and a bound function (about 150 bytes per call in a heap profile of awaited puts,
 * one call per group, so one per put in a loop of awaited puts); a reaction on a settled promise is
 * a microtask too, at less than half the garbage.
 */
const SETTLED = Promise.resolve();

/** A group that reached this many bytes takes no more writes; the next write starts a new group. */
const GROUP_BYTES = 1024 * 1024;

/** What the queue needs from the engine. */
export interface WriteTarget {
  /** An error when writes are not accepted (`CLOSED`, `READ_ONLY`), else undefined. */
  writeError(): VelocityError | undefined;
  /**
   * Makes room for a write (rotating a full memtable when possible); false when the writes must wait
   * for background work first.
   */
  makeRoomForWrite(): boolean;
  /** Resolves when background work made progress (or failed). */
  waitForRoom(): Promise<void>;
  /**
   * Appends the sealed batch to the log, fsyncing when `sync`, then applies it to the memtable.
   * Throws on an I/O error (the engine is then read-only).
   */
  commitBatch(data: Uint8Array, sequence: number, count: number, sync: boolean, payloadBytes: number): void;
  /**
   * True when synced groups are pipelined: appended with {@link WriteTarget.appendBatch}, fsynced off
   * the main thread with {@link WriteTarget.syncLog} while the next group gathers, and applied with
   * {@link WriteTarget.applyBatch} once the fsync covered them.
   */
  readonly pipelinedSync: boolean;
  /** Appends the sealed batch to the log and hands it to the OS. Throws on an I/O error. */
  appendBatch(data: Uint8Array): void;
  /** Makes every appended batch durable, off the main thread; rejects on an I/O error. */
  syncLog(): Promise<void>;
  /** Applies an appended (and, for a synced group, fsynced) batch to the memtable. */
  applyBatch(data: Uint8Array, sequence: number, count: number, payloadBytes: number): void;
  /** Sequence number of the last applied write. */
  readonly lastSequence: number;
  /** Decides when writers are answered through a macrotask (see `LoopYield`). */
  readonly loop: LoopYield;
}

class Group {
  readonly buffer: BatchBuffer;
  sync = false;
  readonly promise: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;

  constructor(buffer: BatchBuffer) {
    this.buffer = buffer;
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/** Queues writes and commits them in groups. */
export class WriteQueue {
  private readonly queue: Group[] = [];
  private open: Group | undefined;
  private scheduled = false;
  private waiting = false;
  /** A synced group is waiting for its fsync: nothing else is committed until it is applied. */
  private syncing = false;
  private readonly spare: BatchBuffer[] = [];
  private readonly drainFn = (): void => this.drain();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly target: WriteTarget) {}

  /** The group new writes join (created on demand), with a drain scheduled. */
  private group(): Group {
    let g = this.open;
    if (g === undefined || g.buffer.length >= GROUP_BYTES) {
      const buffer = this.spare.pop() ?? new BatchBuffer(4096);
      buffer.reset();
      g = new Group(buffer);
      this.open = g;
      this.queue.push(g);
    }
    if (!this.scheduled && !this.waiting) {
      this.scheduled = true;
      void SETTLED.then(this.drainFn);
    }
    return g;
  }

  /**
   * Queues a put (expiring at `expiresAt` when given). The caller has checked that the database
   * accepts writes and the types.
   */
  put(
    key: Uint8Array | string,
    value: Uint8Array | string,
    sync: boolean,
    expiresAt?: number,
  ): Promise<void> {
    const g = this.group();
    try {
      g.buffer.put(key, value, expiresAt);
    } catch (error) {
      return Promise.reject(asCallerError(error));
    }
    if (sync) g.sync = true;
    return g.promise;
  }

  /** Queues a deletion. */
  del(key: Uint8Array | string, sync: boolean): Promise<void> {
    const g = this.group();
    try {
      g.buffer.del(key);
    } catch (error) {
      return Promise.reject(asCallerError(error));
    }
    if (sync) g.sync = true;
    return g.promise;
  }

  /**
   * Queues the records of `fill` atomically: `fill` adds them to the group's buffer and may throw, in
   * which case everything it added is removed and the returned promise rejects.
   */
  batch(fill: (buffer: BatchBuffer) => void, sync: boolean): Promise<void> {
    const g = this.group();
    const b = g.buffer;
    const length = b.length;
    const count = b.count;
    const payload = b.payloadBytes;
    try {
      fill(b);
      if (b.length - length > MAX_BATCH_SIZE) {
        throw invalidArgument(`batch of ${b.length - length} bytes exceeds the maximum of ${MAX_BATCH_SIZE}`);
      }
    } catch (error) {
      b.truncate(length, count, payload);
      return Promise.reject(asCallerError(error));
    }
    if (b.count === count) return Promise.resolve(); // empty batch: nothing to write
    if (sync) g.sync = true;
    return g.promise;
  }

  /** True when nothing is queued or being committed. */
  get idle(): boolean {
    return this.queue.length === 0 && !this.syncing;
  }

  /** Resolves once every queued write has been committed or failed. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(): void {
    this.scheduled = false;
    if (this.waiting || this.syncing) return;
    const target = this.target;
    const queue = this.queue;
    while (queue.length > 0) {
      const error = target.writeError();
      if (error !== undefined) {
        this.failAll(error);
        break;
      }
      if (!target.makeRoomForWrite()) {
        this.waiting = true;
        target.waitForRoom().then(this.resume, this.resume);
        return;
      }
      const g = queue.shift()!;
      if (g === this.open) this.open = undefined;
      const b = g.buffer;
      if (b.count === 0) {
        g.resolve();
      } else if (g.sync && target.pipelinedSync) {
        if (this.commitPipelined(g)) return;
        continue;
      } else {
        const sequence = target.lastSequence + 1;
        try {
          target.commitBatch(b.seal(sequence), sequence, b.count, g.sync, b.payloadBytes);
          target.loop.answer(g.resolve, b.count);
        } catch (error) {
          g.reject(asVelocityError(error));
        }
      }
      this.recycle(b);
    }
    this.notifyIdle();
  }

  /**
   * Appends a synced group and starts its fsync off the main thread; the group is applied and
   * answered when the fsync resolves, and writes arriving meanwhile gather in the next group. Returns
   * false (the group failed at once, the drain goes on) when the append failed.
   */
  private commitPipelined(g: Group): boolean {
    const target = this.target;
    const b = g.buffer;
    const sequence = target.lastSequence + 1;
    const data = b.seal(sequence);
    try {
      target.appendBatch(data);
    } catch (error) {
      g.reject(asVelocityError(error));
      this.recycle(b);
      return false;
    }
    this.syncing = true;
    target.syncLog().then(
      () => {
        try {
          target.applyBatch(data, sequence, b.count, b.payloadBytes);
          target.loop.answer(g.resolve, b.count);
        } catch (error) {
          g.reject(asVelocityError(error));
        }
        this.synced(b);
      },
      (error: unknown) => {
        g.reject(asVelocityError(error));
        this.synced(b);
      },
    );
    return true;
  }

  private synced(b: BatchBuffer): void {
    this.syncing = false;
    this.recycle(b);
    this.drain();
  }

  private recycle(b: BatchBuffer): void {
    if (b.buf.length <= GROUP_BYTES * 2 && this.spare.length < 2) this.spare.push(b);
  }

  private readonly resume = (): void => {
    this.waiting = false;
    this.drain();
  };

  private failAll(error: VelocityError): void {
    const groups = this.queue.splice(0);
    this.open = undefined;
    for (const g of groups) g.reject(error);
  }

  private notifyIdle(): void {
    if (!this.idle || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
