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
import { type SliceContext, SliceTimer } from './background-turns.js';
import { AbortedError } from './aborted-error.js';

/** A memtable's entries, flat (see the module comment for the layout). */
export interface FlushPayload {
  data: Uint8Array;
  bounds: Uint32Array;
  count: number;
}

/**
 * Copies every entry of `it` (sorted internal keys) into a {@link FlushPayload}, yielding between
 * slices. `sizeHint` (the memtable's memory use, at least its key and value bytes) sizes the data
 * array up front; it grows when the hint was short.
 */
export async function collectFlushPayload(
  it: SeekableIterator,
  sizeHint: number,
  ctx: SliceContext,
): Promise<FlushPayload> {
  let data: Uint8Array = new Uint8Array(Math.max(1024, sizeHint));
  let bounds: Uint32Array = new Uint32Array(1025);
  let used = 0;
  let count = 0;
  const timer = new SliceTimer(ctx.sliceBudget());
  for (it.seekToFirst(); it.valid(); it.next()) {
    const key = it.key();
    const value = it.value();
    const end = used + key.length + value.length;
    if (end > data.length) data = grown(data, end, used);
    if (2 * count + 3 > bounds.length) {
      const bigger = new Uint32Array(2 * bounds.length + 1);
      bigger.set(bounds);
      bounds = bigger;
    }
    bounds[2 * count] = used;
    data.set(key, used);
    used += key.length;
    bounds[2 * count + 1] = used;
    data.set(value, used);
    used += value.length;
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
