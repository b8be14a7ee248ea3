// DBOptions.compactionWorker: a host-supplied MergeWorker (here one that runs jobs with runMergeJob and
// runFlushJob on the same MemoryFileSystem, as @velocity/browser's merge worker runs them on OPFS)
// gets the merges and flushes, writes the same data, and is closed when it goes unused.
import { MemoryFileSystem } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { type MergeWorker, runFlushJob, runMergeJob } from '../src/compaction-worker.js';
import { DB } from '../src/index.js';
import { rejection } from './helpers.js';

/** A MergeWorker that runs jobs at once, on `fs`; counts what it ran. */
function inProcessWorker(fs: MemoryFileSystem) {
  const counts = { merges: 0, flushes: 0, closed: 0 };
  const worker: MergeWorker = {
    async run(job) {
      counts.merges++;
      return runMergeJob(fs, job, { stepEntries: 64, betweenSteps: () => Promise.resolve() });
    },
    async flush(job) {
      counts.flushes++;
      return (await runFlushJob(fs, job)) ?? undefined;
    },
    async close() {
      counts.closed++;
    },
  };
  return { worker, counts };
}

const enc = new TextEncoder();
const key = (i: number) => enc.encode(`k${String(i).padStart(6, '0')}`);

async function fill(db: DB): Promise<void> {
  for (let round = 0; round < 6; round++) {
    const batch = db.batch();
    for (let i = round; i < 3000; i += 6) batch.put(key(i), enc.encode(`v${i}-${'x'.repeat(50)}`));
    await batch.write();
    await db.flush();
  }
  await db.compactRange();
}

async function contents(db: DB): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of db.iterator()) out.push(`${new TextDecoder().decode(k)}=${v.length}`);
  return out;
}

describe('DBOptions.compactionWorker', () => {
  it('runs merges and flushes in the supplied worker, with the same tables as the main thread', async () => {
    const fs = new MemoryFileSystem();
    const { worker, counts } = inProcessWorker(fs);
    const db = await DB.open('/w', { fs, compactionWorker: worker });
    const threads: string[] = [];
    db.on('compaction', (e) => threads.push(e.thread));
    db.on('flush', (e) => threads.push(e.thread));
    await fill(db);
    const viaWorker = await contents(db);
    const tables = fs.list('/w').filter((n) => n.endsWith('.sst'));
    await db.close();
    expect(counts.flushes).toBe(6);
    expect(counts.merges).toBeGreaterThan(0);
    expect(threads.every((t) => t === 'worker')).toBe(true);
    expect(counts.closed).toBe(1);

    const plain = new MemoryFileSystem();
    const main = await DB.open('/w', { fs: plain, compactionThread: 'main' });
    await fill(main);
    expect(await contents(main)).toEqual(viaWorker);
    const sizes = (f: MemoryFileSystem, names: string[]) => names.map((n) => f.size(`/w/${n}`));
    const mainTables = plain.list('/w').filter((n) => n.endsWith('.sst'));
    expect(sizes(plain, mainTables)).toEqual(sizes(fs, tables));
    await main.close();

    const again = await DB.open('/w', { fs, compactionThread: 'main' });
    expect(await contents(again)).toEqual(viaWorker);
    await again.close();
  });

  it("is closed and unused with compactionThread 'main', or a configuration no worker can run", async () => {
    const fs = new MemoryFileSystem();
    const a = inProcessWorker(fs);
    const db = await DB.open('/m', { fs, compactionThread: 'main', compactionWorker: a.worker });
    await fill(db);
    await db.close();
    expect(a.counts).toEqual({ merges: 0, flushes: 0, closed: 1 });

    const b = inProcessWorker(fs);
    const filtered = await DB.open('/f', {
      fs,
      compactionWorker: b.worker,
      compactionFilter: () => 'keep',
    });
    await fill(filtered);
    await filtered.close();
    expect(b.counts).toEqual({ merges: 0, flushes: 0, closed: 1 });

    const c = inProcessWorker(fs);
    const error = await rejection(
      DB.open('/x', {
        fs,
        compactionThread: 'worker',
        compactionWorker: c.worker,
        compactionFilter: () => 'keep',
      }),
    );
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(String((error as Error).message)).toMatch(/compactionFilter/);
    expect(c.counts.closed).toBe(1);
  });
});
