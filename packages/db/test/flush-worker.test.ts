// Memtable flushes in the compaction worker: the payload the main thread copies a memtable into (any
// iterator, in slices, growing past a short size hint), the worker's table from it (read back with a
// TableReader), and the engine's flushes reported as run in the worker, or on the main thread where
// there is no worker. The worker runs the built `dist/compaction/worker-entry.js` (build first).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InternalKeyComparator,
  type SeekableIterator,
  ValueKind,
  bytewiseComparator,
  makeInternalKey,
} from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import { SkipListMemTable } from '@velocity/memtable';
import { TableReader, lz4Codec } from '@velocity/sstable';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortedError } from '../src/aborted-error.js';
import { runFlushJob } from '../src/compaction/worker-entry.js';
import { createMergeWorker } from '../src/compaction/worker-host.js';
import {
  type FlushPayload,
  type FlushSource,
  PayloadIterator,
  collectFlushPayload,
} from '../src/flush-payload.js';
import { DB, type FlushEvent } from '../src/index.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-flush-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const bytes = (s: string) => new TextEncoder().encode(s);
const icmp = new InternalKeyComparator(bytewiseComparator);

/** A forward iterator over sorted [internal key, value] pairs. */
function arrayIterator(entries: [Uint8Array, Uint8Array][]): SeekableIterator {
  let i = entries.length;
  return {
    valid: () => i < entries.length,
    seekToFirst: () => {
      i = 0;
    },
    seekToLast: () => {
      i = Math.max(0, entries.length - 1);
    },
    seek: () => {
      throw new Error('not used');
    },
    next: () => {
      i++;
    },
    prev: () => {
      i--;
    },
    key: () => entries[i][0],
    value: () => entries[i][1],
  };
}

/** A memtable-like source with no entry copier: the payload is copied through the iterator. */
function source(entries: [Uint8Array, Uint8Array][], sizeHint: number): FlushSource {
  return { iterator: () => arrayIterator(entries), approximateMemoryUsage: () => sizeHint };
}

/** Sorted internal-key entries for user keys `k…` with values of the given lengths. */
function entriesFor(keys: string[], valueLength: (i: number) => number): [Uint8Array, Uint8Array][] {
  const unique = [...new Set(keys)].sort();
  return unique.map((k, i) => [
    makeInternalKey(bytes(k), i + 1, ValueKind.Put),
    new Uint8Array(valueLength(i)).fill(i & 255),
  ]);
}

function drain(payload: FlushPayload): [Uint8Array, Uint8Array][] {
  const out: [Uint8Array, Uint8Array][] = [];
  const it = new PayloadIterator(payload);
  for (it.seekToFirst(); it.valid(); it.next()) out.push([it.key().slice(), it.value().slice()]);
  return out;
}

/** Slices of 0 ms: every clock check ends a slice, so the collection yields many times. */
function slicing(aborted: () => boolean = () => false) {
  let turns = 0;
  return {
    ctx: {
      sliceBudget: () => 0,
      nextTurn: async () => {
        turns++;
      },
      aborted,
    },
    turns: () => turns,
  };
}

describe('the flush payload', () => {
  it('holds every entry of the iterator, in order, whatever the size hint', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 300 }),
        fc.nat(2000),
        fc.integer({ min: 0, max: 5000 }),
        async (keys, hint, maxValue) => {
          const entries = entriesFor(keys, (i) => (i * 37) % (maxValue + 1));
          const payload = await collectFlushPayload(source(entries, hint), slicing().ctx);
          expect(payload.count).toBe(entries.length);
          expect(payload.bounds.length).toBe(2 * entries.length + 1);
          expect(drain(payload)).toEqual(entries);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("is the same through the skip list's entry copier as through its iterator", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.uint8Array({ minLength: 0, maxLength: 40 }),
            value: fc.uint8Array({ maxLength: 300 }),
            del: fc.boolean(),
          }),
          { maxLength: 200 },
        ),
        async (ops) => {
          const mem = new SkipListMemTable();
          ops.forEach((op, i) => {
            mem.add(i + 1, op.del ? ValueKind.Delete : ValueKind.Put, op.key, op.value);
          });
          const direct = await collectFlushPayload(mem, slicing().ctx);
          const viaIterator = await collectFlushPayload(
            { iterator: () => mem.iterator(), approximateMemoryUsage: () => 0 },
            slicing().ctx,
          );
          expect(direct.count).toBe(ops.length);
          expect(drain(direct)).toEqual(drain(viaIterator));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('yields between slices and stops with AbortedError once the database closes', async () => {
    const entries = entriesFor(
      Array.from({ length: 2000 }, (_, i) => `key${i}`),
      () => 50,
    );
    const yielding = slicing();
    await collectFlushPayload(source(entries, 0), yielding.ctx);
    expect(yielding.turns()).toBeGreaterThan(5);

    const closing = slicing(() => true);
    await expect(collectFlushPayload(source(entries, 0), closing.ctx)).rejects.toBeInstanceOf(AbortedError);
  });

  it('is walked forward only', () => {
    const it = new PayloadIterator({ data: new Uint8Array(0), bounds: new Uint32Array(1), count: 0 });
    it.seekToLast();
    expect(it.valid()).toBe(false);
    expect(() => it.seek()).toThrow(/start/);
    expect(() => it.prev()).toThrow(/forward/);
  });
});

const tableOptions = {
  blockSize: 512,
  blockRestartInterval: 16,
  compression: lz4Codec.id,
  bloomBitsPerKey: 10,
  ranges: [],
};

describe('a flush in the worker', () => {
  it('writes a table with every entry, from the worker thread, and transfers the payload', async () => {
    const dir = tempDir();
    const entries = entriesFor(
      Array.from({ length: 3000 }, (_, i) => `key${String(i).padStart(5, '0')}`),
      (i) => 20 + (i % 90),
    );
    const payload = await collectFlushPayload(source(entries, 1024), slicing().ctx);
    const worker = createMergeWorker(false);
    const file = await worker.flush({ dir, number: 7, ...tableOptions, ...payload });
    // The buffers went to the worker: the main thread's views are detached.
    expect(payload.data.byteLength).toBe(0);
    await worker.close();
    expect(file?.id).toBe(7);
    expect(file?.entries).toBe(3000);
    expect(file?.smallestSequence).toBe(1);
    expect(file?.largestSequence).toBe(3000);
    expect(readdirSync(dir)).toEqual(['000007.sst']);

    const reader = TableReader.open(new NodeFileSystem().openReadable(join(dir, '000007.sst')), {
      comparator: icmp,
      codecs: [lz4Codec],
    });
    const it = reader.iterator();
    const read: [Uint8Array, Uint8Array][] = [];
    for (it.seekToFirst(); it.valid(); it.next()) read.push([it.key().slice(), it.value().slice()]);
    reader.close();
    expect(read).toEqual(entries);
  });

  it('writes no file for an empty payload, and removes a partial one when it fails', async () => {
    const dir = tempDir();
    const empty = { data: new Uint8Array(0), bounds: new Uint32Array(1), count: 0 };
    expect(await runFlushJob({ dir, number: 3, ...tableOptions, ...empty })).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    // Keys out of order: the table builder refuses them, and the file goes.
    const entries = entriesFor(['b', 'a'], () => 10).reverse();
    const payload = await collectFlushPayload(source(entries, 0), slicing().ctx);
    await expect(runFlushJob({ dir, number: 4, ...tableOptions, ...payload })).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is where the database flushes when it has a worker, and the data survives a reopen', async () => {
    for (const thread of ['worker', 'main'] as const) {
      const dir = tempDir();
      const options = { compactionThread: thread, memtableSize: 64 * 1024 };
      const db = await DB.open(dir, options);
      const flushes: FlushEvent[] = [];
      db.on('flush', (e) => flushes.push(e));
      for (let i = 0; i < 6000; i += 200) {
        await db.write(
          Array.from({ length: 200 }, (_, j) => ({
            type: 'put' as const,
            key: `key${String(((i + j) * 7919) % 6000).padStart(5, '0')}`,
            value: `value-${i + j}`.padEnd(60, '.'),
          })),
        );
      }
      // A range tombstone goes into the last flush's table (the worker's payload carries it).
      await db.deleteRange('key01000', 'key02000');
      await db.flush();
      expect(flushes.length).toBeGreaterThan(3);
      expect(flushes.every((e) => e.thread === thread)).toBe(true);
      expect(flushes.reduce((n, e) => n + e.entries, 0)).toBe(6000);
      await db.close();
      const reopened = await DB.open(dir, options);
      for (let k = 0; k < 6000; k += 97) {
        const key = `key${String(k).padStart(5, '0')}`;
        const deleted = k >= 1000 && k < 2000;
        expect(reopened.getSync(key) === undefined, key).toBe(deleted);
      }
      await reopened.close();
    }
  });
});
