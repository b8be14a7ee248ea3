/**
 * Recycled memory for data blocks read from table files. A read into a fresh array costs an
 * allocation of its own backing store (about 1.2 µs for 4 KiB in Node, and garbage-collector work
 * later); a block cache that evicts one block per miss can instead hand the evicted block's memory to
 * the next read. The pool is that hand-over: the block cache's `onEvict` gives evicted blocks back
 * ({@link BlockPool.release}), and reads take from it ({@link BlockPool.take}).
 *
 * Memory is recycled only when nothing can still see it. Point lookups use a block synchronously and
 * copy what they return, so a block they used may be recycled once it leaves the cache. Anything that
 * keeps a view of a block across calls (an iterator, `TableReader.get`'s value) marks it first with
 * {@link BlockPool.lend}, and lent memory is never recycled: the garbage collector frees it when its
 * last user drops it, as it would without a pool.
 * @module
 */

/** Pooled arrays are sized in steps of this many bytes (so blocks of similar size share them). */
const SIZE_STEP = 1024;

/** Recycled block memory, in size classes of 1 KiB steps, at most `maxBytes` held. */
export class BlockPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private readonly owned = new WeakSet<ArrayBuffer>();
  private readonly lent = new WeakSet<ArrayBuffer>();
  private held = 0;
  /** Arrays handed out again after a release (statistics). */
  reused = 0;

  /** @param maxBytes the most memory the pool keeps for re-use (default 1 MiB). */
  constructor(private readonly maxBytes = 1 << 20) {}

  /** An array of `length` bytes (contents undefined: the caller overwrites them). */
  take(length: number): Uint8Array {
    const size = Math.ceil(Math.max(length, 1) / SIZE_STEP) * SIZE_STEP;
    const buffer = this.free.get(size)?.pop();
    if (buffer !== undefined) {
      this.held -= size;
      this.reused++;
      this.owned.add(buffer);
      return new Uint8Array(buffer, 0, length);
    }
    const fresh = new ArrayBuffer(size);
    this.owned.add(fresh);
    return new Uint8Array(fresh, 0, length);
  }

  /** Marks `bytes` as kept by someone the pool cannot see: its memory is never recycled. */
  lend(bytes: Uint8Array): void {
    if (this.owned.has(bytes.buffer as ArrayBuffer)) this.lent.add(bytes.buffer as ArrayBuffer);
  }

  /**
   * Gives back `bytes`, which no one uses any more, unless it is lent, not from this pool, or the pool
   * is full. Safe to call with any array.
   */
  release(bytes: Uint8Array): void {
    const buffer = bytes.buffer as ArrayBuffer;
    if (!this.owned.has(buffer) || this.lent.has(buffer)) return;
    const size = buffer.byteLength;
    if (this.held + size > this.maxBytes) return;
    // Forget it as owned while it is free, so a second release of the same array cannot add it twice.
    this.owned.delete(buffer);
    let list = this.free.get(size);
    if (list === undefined) {
      list = [];
      this.free.set(size, list);
    }
    list.push(buffer);
    this.held += size;
  }

  /** Bytes held for re-use now. */
  get heldBytes(): number {
    return this.held;
  }
}
