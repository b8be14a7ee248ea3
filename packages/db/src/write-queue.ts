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
import { MAX_BATCH_SIZE, asCallerError, asVelocityError } from './input.js';

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
  /** Sequence number of the last applied write. */
  readonly lastSequence: number;
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
      queueMicrotask(this.drainFn);
    }
    return g;
  }

  /** Queues a put. The caller has checked that the database accepts writes and the types. */
  put(key: Uint8Array | string, value: Uint8Array | string, sync: boolean): Promise<void> {
    const g = this.group();
    try {
      g.buffer.put(key, value);
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
    return this.queue.length === 0;
  }

  /** Resolves once every queued write has been committed or failed. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(): void {
    this.scheduled = false;
    if (this.waiting) return;
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
      } else {
        const sequence = target.lastSequence + 1;
        try {
          target.commitBatch(b.seal(sequence), sequence, b.count, g.sync, b.payloadBytes);
          g.resolve();
        } catch (error) {
          g.reject(asVelocityError(error));
        }
      }
      if (b.buf.length <= GROUP_BYTES * 2 && this.spare.length < 2) this.spare.push(b);
    }
    this.notifyIdle();
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
    if (this.queue.length > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
