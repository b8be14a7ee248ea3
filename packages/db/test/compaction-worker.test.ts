// Compaction merges in the worker thread (`compactionThread: 'worker'`): same contents as on the main
// thread, through close/reopen and with a snapshot held across compactions; eligibility checked at
// open; a close in the middle of a worker merge; a worker failure reported with its error code. The
// worker runs the built `dist/compaction-worker.js` (build first).
import { mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LeveledCompaction } from '@velocity/compaction';
import {
  type Comparator,
  InternalKeyComparator,
  MemoryFileSystem,
  bytewiseComparator,
  isVelocityError,
} from '@velocity/core';
import { TableReader, lz4Codec } from '@velocity/sstable';
import { NodeFileSystem } from '@velocity/core/node';
import { afterEach, describe, expect, it } from 'vitest';
import { type CompactionEvent, DB, type DBOptions, type WriteOperation } from '../src/index.js';
import { runWorkerJob } from '../src/compaction/worker-entry.js';
import { OutOfFileNumbersError, type WorkerJob } from '../src/compaction/worker-protocol.js';
import { dump, rejection } from './helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-worker-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function options(thread: 'worker' | 'main'): DBOptions {
  return {
    compactionThread: thread,
    memtableSize: 32 * 1024,
    blockSize: 512,
    compression: lz4Codec,
    compaction: new LeveledCompaction({
      level0FileTrigger: 2,
      maxBytesForLevelBase: 128 * 1024,
      targetFileSize: 32 * 1024,
    }),
  };
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sorted = (m: Map<string, string>): [string, string][] =>
  [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

interface Run {
  events: CompactionEvent[];
  final: [string, string][];
  atSnapshot: [string, string][];
}

/**
 * 50k random puts (many overwrites) and deletes in batches, with a snapshot taken a third of the way
 * in and held to the end; checks the database against a Map model (and the snapshot against the
 * model at that time) before and after a close/reopen.
 */
async function workload(thread: 'worker' | 'main'): Promise<Run> {
  const dir = tempDir();
  const db = await DB.open(dir, options(thread));
  const events: CompactionEvent[] = [];
  db.on('compaction', (e) => events.push(e));
  const next = random(42);
  const model = new Map<string, string>();
  let snapshotModel: Map<string, string> | undefined;
  let snapshot: ReturnType<DB['snapshot']> | undefined;
  const ops = 50_000;
  for (let i = 0; i < ops; i += 100) {
    const batch: WriteOperation[] = [];
    for (let j = i; j < i + 100; j++) {
      const k = `k${String(Math.floor(next() * 20_000)).padStart(6, '0')}`;
      if (next() < 0.15) {
        batch.push({ type: 'del', key: k });
        model.delete(k);
      } else {
        const v = `v${j}-`.padEnd(20 + Math.floor(next() * 40), 'x');
        batch.push({ type: 'put', key: k, value: v });
        model.set(k, v);
      }
    }
    await db.write(batch);
    if (i + 100 === 15_000) {
      snapshot = db.snapshot();
      snapshotModel = new Map(model);
    }
  }
  await db.compactRange();
  const expected = sorted(model);
  const expectedAtSnapshot = sorted(snapshotModel!);
  expect(dump(db)).toEqual(expected);
  const atSnapshot = dump(db, { snapshot });
  expect(atSnapshot).toEqual(expectedAtSnapshot);
  for (const [k, v] of expected) expect(new TextDecoder().decode(db.getSync(k))).toBe(v);
  snapshot!.release();
  await db.close();

  const reopened = await DB.open(dir, options(thread));
  expect(dump(reopened)).toEqual(expected);
  await reopened.close();
  return { events, final: expected, atSnapshot };
}

describe('compaction in a worker thread', () => {
  it('merges in the worker with the same results as on the main thread, across close and reopen', async () => {
    const worker = await workload('worker');
    const merges = worker.events.filter((e) => !e.trivialMove);
    expect(merges.length).toBeGreaterThan(10);
    expect(merges.every((e) => e.thread === 'worker')).toBe(true);
    expect(merges.some((e) => e.entriesDropped > 0)).toBe(true);
    expect(merges.every((e) => e.bytesWritten > 0 || e.outputs.length === 0)).toBe(true);
    expect(worker.events.filter((e) => e.trivialMove).every((e) => e.thread === 'main')).toBe(true);

    const main = await workload('main');
    const mainMerges = main.events.filter((e) => !e.trivialMove);
    expect(mainMerges.length).toBeGreaterThan(10);
    expect(mainMerges.every((e) => e.thread === 'main')).toBe(true);
    expect(main.final).toEqual(worker.final);
    expect(main.atSnapshot).toEqual(worker.atSnapshot);
  });

  it("refuses 'worker' at open when the configuration cannot use it, and malformed values", async () => {
    const fs = new MemoryFileSystem();
    const memory = await rejection(DB.open('/db', { fs, compactionThread: 'worker' }));
    expect(isVelocityError(memory, 'INVALID_ARGUMENT')).toBe(true);
    expect((memory as Error).message).toMatch(/NodeFileSystem/);
    expect(fs.exists('/db')).toBe(false);

    const reversed: Comparator = {
      ...bytewiseComparator,
      name: 'test.Reversed',
      compare: (a, b) => bytewiseComparator.compare(b, a),
    };
    const custom = await rejection(DB.open(tempDir(), { comparator: reversed, compactionThread: 'worker' }));
    expect(isVelocityError(custom, 'INVALID_ARGUMENT')).toBe(true);
    expect((custom as Error).message).toMatch(/comparator/);

    const bad = await rejection(DB.open('/db', { fs, compactionThread: 'thread' as unknown as 'worker' }));
    expect(isVelocityError(bad, 'INVALID_ARGUMENT')).toBe(true);

    // 'auto' falls back to the main thread where the worker is not possible.
    const db = await DB.open('/db', { fs, ...options('main'), compactionThread: 'auto' });
    const events: CompactionEvent[] = [];
    db.on('compaction', (e) => events.push(e));
    for (let i = 0; i < 3000; i++) await db.put(`key${i % 700}`, `value-${i}`.padEnd(40, '.'));
    await db.compactRange();
    expect(events.filter((e) => !e.trivialMove).length).toBeGreaterThan(0);
    expect(events.every((e) => e.thread === 'main')).toBe(true);
    await db.close();
  });

  it('closing during a worker merge stops it and the database reopens with all data', async () => {
    const dir = tempDir();
    const opts = { ...options('worker'), memtableSize: 256 * 1024 };
    const db = await DB.open(dir, opts);
    const value = 'v'.repeat(200);
    const expected = new Map<string, string>();
    for (let i = 0; i < 40_000; i += 500) {
      const batch: WriteOperation[] = [];
      for (let j = i; j < i + 500; j++) {
        const k = `key${String((j * 7919) % 40_000).padStart(6, '0')}`;
        batch.push({ type: 'put', key: k, value: `${value}${j}` });
        expected.set(k, `${value}${j}`);
      }
      await db.write(batch);
    }
    await db.flush();
    const liveTables = (): Set<string> =>
      new Set(
        db.stats().levels.flatMap((l) => l.tables.map((t) => `${String(t.fileNumber).padStart(6, '0')}.sst`)),
      );
    const compacting = db.compactRange().then(
      () => undefined,
      (error: unknown) => error,
    );
    // Close as soon as a merge in the worker has begun writing an output (a table file no version
    // names yet): the event loop is free meanwhile, which is the point of the worker.
    let live = liveTables();
    const started = Date.now();
    for (;;) {
      live = liveTables();
      if (readdirSync(dir).some((name) => name.endsWith('.sst') && !live.has(name))) break;
      if (Date.now() - started > 10_000) throw new Error('no worker merge started');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await db.close();
    const outcome = await compacting;
    expect(isVelocityError(outcome, 'CLOSED')).toBe(true);
    // The stopped job's outputs were removed: every table left is one the version before the close
    // named, or one the manifest names now (a merge that had finished before the close is still
    // recorded and installed while close() waits for it).
    const reader = await DB.open(dir, { ...opts, readOnly: true });
    const recorded = new Set(
      reader
        .stats()
        .levels.flatMap((l) => l.tables.map((t) => `${String(t.fileNumber).padStart(6, '0')}.sst`)),
    );
    await reader.close();
    const left = readdirSync(dir).filter((name) => name.endsWith('.sst'));
    expect(left.filter((name) => !live.has(name) && !recorded.has(name))).toEqual([]);

    const reopened = await DB.open(dir, opts);
    expect(dump(reopened)).toEqual(sorted(expected));
    // No table file beyond the live ones is left behind.
    const reopenedLive = reopened.stats().levels.flatMap((l) => l.tables);
    expect(readdirSync(dir).filter((name) => name.endsWith('.sst')).length).toBe(reopenedLive.length);
    await reopened.close();
  });

  it('a failure in the worker reaches the main thread with its code and makes the database read-only', async () => {
    const dir = tempDir();
    const opts = {
      ...options('worker'),
      compression: undefined,
      compaction: new LeveledCompaction({
        level0FileTrigger: 100,
        level0SlowdownTrigger: 200,
        level0StopTrigger: 300,
      }),
    };
    const db = await DB.open(dir, opts);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 500; i++) await db.put(`key${String(i).padStart(4, '0')}`, `value-${round}-${i}`);
      await db.flush();
    }
    // Damage the first data block of one table: the worker's merge reads it and fails the checksum.
    const table = readdirSync(dir).find((name) => name.endsWith('.sst'))!;
    const path = join(dir, table);
    expect(statSync(path).size).toBeGreaterThan(100);
    const fd = openSync(path, 'r+');
    writeSync(fd, new Uint8Array(16).fill(0xee), 0, 16, 20);
    closeSync(fd);
    const error = await rejection(db.compactRange());
    expect(isVelocityError(error, 'CORRUPTION')).toBe(true);
    expect((error as Error).message).toMatch(/compaction worker/);
    expect(db.stats().readOnly).toBe(true);
    await db.close();
  });

  it('a worker job that needs more output numbers than it was given fails and leaves no file', async () => {
    const dir = tempDir();
    const db = await DB.open(dir, {
      ...options('main'),
      memtableSize: 1 << 20,
      compaction: new LeveledCompaction({ level0FileTrigger: 100 }),
    });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2000; i++) await db.put(`key${String(i).padStart(5, '0')}`, `value-${round}-${i}`);
      await db.flush();
    }
    const tables = db.stats().levels[0].tables;
    await db.close();
    expect(tables.length).toBe(2);
    const before = readdirSync(dir).sort();
    // Each input is described as the manifest does (the worker checks its file against it).
    const nodeFs = new NodeFileSystem();
    const described = tables.map((t) => {
      const reader = TableReader.open(
        nodeFs.openReadable(join(dir, `${String(t.fileNumber).padStart(6, '0')}.sst`)),
        {
          comparator: new InternalKeyComparator(bytewiseComparator),
        },
      );
      const { smallestKey, largestKey } = reader.properties;
      reader.close();
      return { t, smallest: smallestKey, largest: largestKey };
    });
    const job = (outputNumbers: number[]): WorkerJob => ({
      dir,
      inputs: [
        {
          level: 0,
          files: described.map(({ t, smallest, largest }) => ({
            id: t.fileNumber,
            size: t.bytes,
            smallest,
            largest,
            smallestSequence: 0,
            largestSequence: 0,
            entries: t.entries,
            tombstones: 0,
          })),
        },
      ],
      snapshots: [],
      bottommost: true,
      targetFileSize: 4096,
      outputNumbers,
      blockSize: 512,
      blockRestartInterval: 16,
      compression: lz4Codec.id,
      bloomBitsPerKey: 10,
      now: Date.now(),
    });
    await expect(runWorkerJob(job([9001, 9002]))).rejects.toThrow(OutOfFileNumbersError);
    expect(readdirSync(dir).sort()).toEqual(before);
    const numbers = Array.from({ length: 100 }, (_, i) => 9001 + i);
    const result = await runWorkerJob(job(numbers));
    expect(result.outputs.length).toBeGreaterThan(2);
    expect(result.outputs.map((o) => o.id)).toEqual(numbers.slice(0, result.outputs.length));
    expect(result.outputs.reduce((n, o) => n + o.entries, 0)).toBe(2000);
    expect(result.entriesDropped).toBe(2000);
  });
});
