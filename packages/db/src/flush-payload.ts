/**
 * A frozen memtable's entries as two flat arrays, for a flush that runs in the compaction worker: the
 * main thread copies them out in slices (any `Memtable` implementation, through its iterator), the
 * arrays' buffers are transferred to the worker without a copy, and the worker walks them with a
 * {@link PayloadIterator} while it builds the table.
 *
 * Layout: `data` holds every entry's internal key and value back to back, in key order; entry `i`'s
 * key is `data[bounds[2i], bounds[2i + 1])` and its value `data[bounds[2i + 1], bounds[2i + 2])`, so
 * `bounds` has `2 × count + 1` numbers.
 * @module
 */
import { type SeekableIterator, VelocityError } from '@velocity/core';
import type { EntryCopier, MemTable } from '@velocity/memtable';
import { type SliceContext, SliceTimer } from './background-turns.js';
import { AbortedError } from './aborted-error.js';

/** A memtable's entries, flat (see the module comment for the layout). */
export interface FlushPayload {
  data: Uint8Array;
  bounds: Uint32Array;
  count: number;
}

/** What a payload is collected from: any memtable (its `entryCopier` when it has one). */
export type FlushSource = Pick<MemTable, 'iterator' | 'entryCopier' | 'approximateMemoryUsage'>;

/**
 * Copies every entry of `mem` (sorted internal keys) into a {@link FlushPayload}, yielding between
 * slices. The memtable's memory use (at least its key and value bytes) sizes the data array up front;
 * it grows when that was short. A memtable with an `entryCopier` (the default skip list) writes each
 * entry straight into the array; any other is copied through its iterator (two views and a key per
 * entry: in a profile of 1M awaited puts with 16 MiB memtables this copy was 12.6% of the main
 * thread, most of it those allocations).
 */
export async function collectFlushPayload(mem: FlushSource, ctx: SliceContext): Promise<FlushPayload> {
  const copier = mem.entryCopier?.() ?? iteratorCopier(mem.iterator());
  let data: Uint8Array = new Uint8Array(Math.max(1024, mem.approximateMemoryUsage()));
  let bounds: Uint32Array = new Uint32Array(1025);
  let used = 0;
  let count = 0;
  const timer = new SliceTimer(ctx.sliceBudget());
  for (let size = copier.nextBytes(); size >= 0; size = copier.nextBytes()) {
    if (used + size > data.length) data = grown(data, used + size, used);
    if (2 * count + 3 > bounds.length) {
      const bigger = new Uint32Array(2 * bounds.length + 1);
      bigger.set(bounds);
      bounds = bigger;
    }
    bounds[2 * count] = used;
    used = copier.copyNext(data, used);
    bounds[2 * count + 1] = copier.keyEnd;
    count++;
    if (timer.expired()) {
      await ctx.nextTurn();
      if (ctx.aborted()) throw new AbortedError();
      timer.reset(ctx.sliceBudget());
    }
  }
  bounds[2 * count] = used;
  return { data: data.subarray(0, used), bounds: bounds.subarray(0, 2 * count + 1), count };
}

/** An {@link EntryCopier} over a sorted iterator (any memtable). */
function iteratorCopier(it: SeekableIterator): EntryCopier {
  it.seekToFirst();
  let keyEnd = 0;
  return {
    nextBytes: () => (it.valid() ? it.key().length + it.value().length : -1),
    copyNext: (out, at) => {
      const key = it.key();
      const value = it.value();
      out.set(key, at);
      keyEnd = at + key.length;
      out.set(value, keyEnd);
      it.next();
      return keyEnd + value.length;
    },
    get keyEnd() {
      return keyEnd;
    },
  };
}

/** A copy of `data`'s first `used` bytes in an array of at least `need` bytes. */
function grown(data: Uint8Array, need: number, used: number): Uint8Array {
  const bigger = new Uint8Array(Math.max(need, 2 * data.length));
  bigger.set(data.subarray(0, used));
  return bigger;
}

/**
 * Walks a {@link FlushPayload} in key order. Keys and values are views into the payload (valid as long
 * as it is). Only forward iteration from the start and `seekToLast` are offered: a table build needs
 * no more.
 */
export class PayloadIterator implements SeekableIterator {
  private i: number;

  constructor(private readonly payload: FlushPayload) {
    this.i = payload.count;
  }

  valid(): boolean {
    return this.i < this.payload.count;
  }

  seekToFirst(): void {
    this.i = 0;
  }

  seekToLast(): void {
    this.i = this.payload.count === 0 ? 0 : this.payload.count - 1;
  }

  seek(): void {
    throw new VelocityError('INVALID_ARGUMENT', 'a flush payload is only walked from its start');
  }

  next(): void {
    this.i++;
  }

  prev(): void {
    throw new VelocityError('INVALID_ARGUMENT', 'a flush payload is only walked forward');
  }

  key(): Uint8Array {
    const b = this.payload.bounds;
    return this.payload.data.subarray(b[2 * this.i], b[2 * this.i + 1]);
  }

  value(): Uint8Array {
    const b = this.payload.bounds;
    return this.payload.data.subarray(b[2 * this.i + 1], b[2 * this.i + 2]);
  }
}
