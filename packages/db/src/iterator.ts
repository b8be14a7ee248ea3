/**
 * The public iterator returned by `db.iterator()`.
 * @module
 */
import { VelocityError, invalidArgument } from '@velocity/core';
import type { DbCursor } from './db-cursor.js';
import { type Key, countOption, keyBytes } from './input.js';
import type { LoopYield } from './loop-yield.js';
import type { Snapshot } from './snapshot.js';

/** Options of `db.iterator()`, `db.keys()` and `db.values()`. */
export interface IteratorOptions {
  /** Only keys greater than this. */
  gt?: Key;
  /** Only keys greater than or equal to this. */
  gte?: Key;
  /** Only keys less than this. */
  lt?: Key;
  /** Only keys less than or equal to this. */
  lte?: Key;
  /** Largest key first. Default false. */
  reverse?: boolean;
  /** At most this many entries (negative or undefined: no limit). */
  limit?: number;
  /** Read at this snapshot instead of at the iterator's creation. */
  snapshot?: Snapshot;
}

/** A key/value pair. Both arrays are copies the caller owns. */
export type Entry = [key: Uint8Array, value: Uint8Array];

/**
 * A cursor over a consistent view of the database (the moment it was created, or its snapshot):
 * later writes, flushes and compactions do not change what it returns. Usable with `for await` and
 * with a plain `for ... of` (iteration is synchronous underneath). Finishing a `for` loop, breaking
 * out of it or calling {@link DBIterator.close} releases the files it holds.
 *
 * @example
 * ```ts
 * import { DB } from '@velocity/db';
 * const db = await DB.open('./my-db');
 * for await (const [key, value] of db.iterator({ gte: 'a', lt: 'b' })) console.log(key, value);
 * await db.close();
 * ```
 */
export class DBIterator implements Iterable<Entry>, AsyncIterable<Entry> {
  private positioned = false;
  private count = 0;
  private closed = false;
  private error: VelocityError | undefined;

  /** @internal Use `db.iterator()`. */
  constructor(
    private readonly cursor: DbCursor,
    private readonly reverse: boolean,
    private readonly limit: number,
    private readonly onClose: (it: DBIterator) => void,
    /** Lets the event loop turn during long runs of awaited `next()` calls. */
    private readonly loop: LoopYield,
  ) {}

  /** True after {@link DBIterator.close} (or the database closed). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The next entry, or undefined at the end. Throws `CLOSED` after close. */
  nextSync(): Entry | undefined {
    if (this.closed) throw this.error ?? new VelocityError('CLOSED', 'iterator is closed');
    if (this.count >= this.limit) return undefined;
    const cursor = this.cursor;
    if (this.pending) {
      this.pending = false;
    } else if (!this.positioned) {
      this.positioned = true;
      if (this.reverse) cursor.seekToLast();
      else cursor.seekToFirst();
    } else if (cursor.valid()) {
      if (this.reverse) cursor.prev();
      else cursor.next();
    } else {
      return undefined;
    }
    if (!cursor.valid()) return undefined;
    this.count++;
    return [cursor.keyCopy(), cursor.valueCopy()];
  }

  /** The next entry, or undefined at the end. */
  next(): Promise<Entry | undefined> {
    try {
      return this.loop.settle(this.nextSync());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Up to `size` next entries (fewer only at the end). `size` is a non-negative integer (or
   * Infinity); anything else throws `INVALID_ARGUMENT`.
   */
  nextv(size: number): Entry[] {
    const n = countOption('nextv size', size);
    if (n === undefined || n < 0)
      throw invalidArgument(`nextv size must be a non-negative integer, got ${String(size)}`);
    return this.take(n);
  }

  private take(size: number): Entry[] {
    const out: Entry[] = [];
    while (out.length < size) {
      const e = this.nextSync();
      if (e === undefined) break;
      out.push(e);
    }
    return out;
  }

  /** Every remaining entry; closes the iterator. */
  all(): Entry[] {
    try {
      return this.take(Number.POSITIVE_INFINITY);
    } finally {
      this.close();
    }
  }

  /**
   * Repositions so that the next entry is the first key >= `target` (reverse: the last key <=
   * `target`), within the iterator's bounds. Does not reset the limit count.
   */
  seek(target: Key): void {
    if (this.closed) throw this.error ?? new VelocityError('CLOSED', 'iterator is closed');
    const key = keyBytes(target);
    // Position on the target; the next nextSync() returns the entry there without moving.
    if (this.reverse) this.cursor.seekForPrev(key);
    else this.cursor.seek(key);
    this.positioned = true;
    this.pending = true;
  }

  /** Set by seek(): the cursor already sits on the entry the next call returns. */
  private pending = false;

  /** Releases the view (version, memtables, open tables). Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.cursor.close();
    } finally {
      this.onClose(this);
    }
  }

  /** @internal Called by the database on close. */
  abort(error: VelocityError): void {
    if (this.closed) return;
    this.error = error;
    this.close();
  }

  /** A synchronous iteration that closes the iterator when it ends or is left early. */
  [Symbol.iterator](): IterableIterator<Entry> {
    return this.protocol((e) => e);
  }

  /** An asynchronous iteration that closes the iterator when it ends or is left early. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Entry> {
    return toAsync(
      this.protocol((e) => e),
      this.loop,
    );
  }

  /** Iterates the keys only. */
  keys(): IterableIterator<Uint8Array> & AsyncIterable<Uint8Array> {
    return withAsync(
      this.protocol((e) => e[0]),
      this.loop,
    );
  }

  /** Iterates the values only. */
  values(): IterableIterator<Uint8Array> & AsyncIterable<Uint8Array> {
    return withAsync(
      this.protocol((e) => e[1]),
      this.loop,
    );
  }

  private protocol<T>(map: (e: Entry) => T): IterableIterator<T> {
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    const self: IterableIterator<T> = {
      next: (): IteratorResult<T> => {
        if (this.closed && this.error === undefined) return done;
        let e: Entry | undefined;
        try {
          e = this.nextSync();
        } catch (error) {
          this.close();
          throw error;
        }
        if (e === undefined) {
          this.close();
          return done;
        }
        return { done: false, value: map(e) };
      },
      return: (): IteratorResult<T> => {
        this.close();
        return done;
      },
      [Symbol.iterator]: () => self,
    };
    return self;
  }
}

function toAsync<T>(sync: IterableIterator<T>, loop: LoopYield): AsyncIterableIterator<T> {
  const self: AsyncIterableIterator<T> = {
    next: () => {
      try {
        return loop.settle(sync.next());
      } catch (error) {
        return Promise.reject(error);
      }
    },
    return: () => Promise.resolve(sync.return!()),
    [Symbol.asyncIterator]: () => self,
  };
  return self;
}

function withAsync<T>(sync: IterableIterator<T>, loop: LoopYield): IterableIterator<T> & AsyncIterable<T> {
  return Object.assign(sync, { [Symbol.asyncIterator]: () => toAsync(sync, loop) });
}
