/**
 * An iterator of a {@link BrowserDB}: entries come from the worker in chunks, so `for await` costs one
 * round trip per chunk, not per entry.
 * @module
 */
import type { Entry } from '@velocity/db';
import { type PackedEntries, unpackEntries } from '../entry-chunk.js';
import type { WireIteratorOptions } from '../protocol.js';
import type { RpcChannel } from './rpc.js';

/** Bounds, order and limit of a {@link BrowserIterator} (`gt`/`gte`/`lt`/`lte`, `reverse`, `limit`). */
export type BrowserIteratorOptions = WireIteratorOptions;

/** The first chunk is small (a `limit: 1` peek stays cheap); later ones grow up to this. */
const MAX_CHUNK = 4096;

/**
 * A cursor over a consistent view of the database, taken when it was created (or at its snapshot).
 * Use it with `for await`; breaking out of the loop, reaching the end or {@link BrowserIterator.close}
 * releases it in the worker.
 */
export class BrowserIterator implements AsyncIterableIterator<Entry> {
  private buffer: Entry[] = [];
  private at = 0;
  private done = false;
  private closed = false;
  private chunk = 16;

  /** @internal Use `db.iterator()`. */
  constructor(
    private readonly rpc: RpcChannel,
    private readonly id: number,
    /** The open request: its error, if any, is the one to report. */
    private readonly opened: Promise<unknown>,
  ) {}

  private async fetch(): Promise<{ entries: Entry[]; done: boolean }> {
    try {
      const { packed, done } = await this.rpc.call<{ packed: PackedEntries; done: boolean }>({
        op: 'iterNext',
        iterator: this.id,
        size: this.chunk,
      });
      return { entries: unpackEntries(packed), done };
    } catch (error) {
      await this.opened;
      throw error;
    }
  }

  /** The next entry, or `{ done: true }` at the end. */
  async next(): Promise<IteratorResult<Entry>> {
    if (this.at === this.buffer.length) {
      if (this.done || this.closed) return { done: true, value: undefined };
      const { entries, done } = await this.fetch();
      this.chunk = Math.min(this.chunk * 4, MAX_CHUNK);
      this.buffer = entries;
      this.at = 0;
      this.done = done;
      if (entries.length === 0) return { done: true, value: undefined };
    }
    return { done: false, value: this.buffer[this.at++] };
  }

  /** Every remaining entry; the iterator is then finished. */
  async all(): Promise<Entry[]> {
    const out: Entry[] = [];
    for await (const entry of this) out.push(entry);
    return out;
  }

  /** Releases the iterator (also what `break` in a `for await` loop calls). */
  async return(): Promise<IteratorResult<Entry>> {
    await this.close();
    return { done: true, value: undefined };
  }

  /** Releases the iterator in the worker. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.buffer = [];
    this.at = 0;
    if (!this.done) await this.rpc.call({ op: 'iterClose', iterator: this.id });
  }

  /** The iterator itself, for `for await`. */
  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Opens an iterator in the worker (the request goes out with the next batch) and returns its cursor. */
export function openIterator(
  rpc: RpcChannel,
  options: BrowserIteratorOptions,
  snapshot?: number,
): BrowserIterator {
  const id = rpc.newHandleId();
  const { gt, gte, lt, lte, reverse, limit } = options;
  const opened = rpc.call({
    op: 'iterOpen',
    iterator: id,
    options: { gt, gte, lt, lte, reverse, limit },
    snapshot,
  });
  opened.catch(() => {}); // the error reaches the caller through the first next()
  return new BrowserIterator(rpc, id, opened);
}
