import { LruCache } from '@velocity/block-cache';
import { describe, expect, it } from 'vitest';
import { AUTO_MEMORY_BUDGET_NODE, type DB } from '../src/index.js';
import { SMALL, key, openMemory, text, value } from './helpers.js';

/** Writes `n` keys (values of 200 bytes) in batches and flushes, leaving several tables. */
async function fill(db: DB, n: number, version = 0): Promise<void> {
  for (let i = 0; i < n; i += 500) {
    const batch = db.batch();
    for (let j = i; j < Math.min(n, i + 500); j++) batch.put(key(j), value(j, version, 200));
    await batch.write();
  }
  await db.flush();
}

/** Reads every key synchronously and checks that the reads themselves made no table resident. */
function readAll(db: DB, n: number, version = 0): void {
  const before = db.stats().memory.residentTables;
  for (let i = 0; i < n; i++) expect(text(db.getSync(key(i)))).toBe(value(i, version, 200));
  expect(db.stats().memory.residentTables).toBe(before);
}

/**
 * Waits (up to `limitMs`, 20 s by default for a loaded machine) until the background warmer has made
 * `enough` tables resident and then made no more for 100 ms.
 */
async function warmed(db: DB, enough: (residentTables: number) => boolean, limitMs = 20_000): Promise<void> {
  let last = -1;
  let quietSince = Date.now();
  for (const end = Date.now() + limitMs; Date.now() < end; ) {
    const now = db.stats().memory.residentTables;
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (enough(now) && Date.now() - quietSince >= 100) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the memory budget', () => {
  it('holds tables resident only while the block cache, pinned blocks and resident data fit in it', async () => {
    const budget = 1024 * 1024;
    const blockCache = new LruCache<string, Uint8Array>({ capacity: 64 * 1024 });
    const { db } = await openMemory({ ...SMALL, memoryBudget: budget, blockCache, compactionThread: 'main' });
    await fill(db, 20_000);
    await warmed(db, (n) => n > 0);
    readAll(db, 20_000);
    const s = db.stats();
    const m = s.memory;
    expect(m.budget).toBe(budget);
    expect(m.blockCache).toBe(64 * 1024);
    // The data (~4.5 MB) exceeds the budget: some tables are resident, not all.
    expect(s.bytes).toBeGreaterThan(budget);
    expect(m.residentTables).toBeGreaterThan(0);
    expect(m.residentTables).toBeLessThan(s.files);
    expect(m.blockCache + m.pinned + m.resident).toBeLessThanOrEqual(budget);
    expect(s.blockCache?.bytesUsed ?? 0).toBeLessThanOrEqual(64 * 1024);
    await db.close();
  });

  it('returns the bytes of tables that compactions delete, and never overcommits while they churn', async () => {
    const budget = 2 * 1024 * 1024;
    const blockCache = new LruCache<string, Uint8Array>({ capacity: 128 * 1024 });
    const { db } = await openMemory({ ...SMALL, memoryBudget: budget, blockCache, compactionThread: 'main' });
    let sawResident = false;
    for (let version = 0; version < 4; version++) {
      await fill(db, 8_000, version);
      // Compaction may leave a version's ~1.9 MB of data in one table, which does not fit in what the
      // block cache leaves of the budget by the table cache's estimate for unopened tables (1.5 × its
      // size): then none is resident, rightly. The other shapes (several tables) hold some resident.
      await warmed(db, (n) => n > 0, 5_000);
      readAll(db, 8_000, version);
      const m = db.stats().memory;
      if (m.residentTables > 0) sawResident = true;
      expect(m.blockCache + m.pinned + m.resident).toBeLessThanOrEqual(budget);
    }
    expect(sawResident).toBe(true);
    await db.compactRange();
    readAll(db, 8_000, 3);
    const s = db.stats();
    // After the full compaction every open table is live; only they are charged.
    expect(s.tableCache.open).toBeLessThanOrEqual(s.files);
    expect(s.memory.residentTables).toBeLessThanOrEqual(s.tableCache.open);
    await db.close();
  });

  it("'auto' (the default) keeps a small database entirely resident", async () => {
    const { db } = await openMemory({ ...SMALL, compactionThread: 'main' });
    await fill(db, 5_000);
    await warmed(db, (n) => n === db.stats().files);
    readAll(db, 5_000);
    const s = db.stats();
    expect(s.memory.budget).toBe(AUTO_MEMORY_BUDGET_NODE);
    expect(s.memory.residentTables).toBe(s.tableCache.open);
    expect(s.memory.residentTables).toBeGreaterThan(0);
    expect(s.memory.resident).toBeGreaterThanOrEqual(s.bytes * 0.9);
    await db.close();
  });

  it('a budget smaller than the default block cache holds nothing resident (LevelDB behaviour)', async () => {
    const { db } = await openMemory({ ...SMALL, memoryBudget: 4 * 1024 * 1024, compactionThread: 'main' });
    await fill(db, 5_000);
    readAll(db, 5_000);
    const m = db.stats().memory;
    expect(m.blockCache).toBe(4 * 1024 * 1024);
    expect(m.residentTables).toBe(0);
    await db.close();
  });

  it('makes the tables of a reopened database resident in the background, before any read', async () => {
    const { db, fs } = await openMemory({ ...SMALL, compactionThread: 'main' });
    await fill(db, 5_000);
    await db.close();
    const { db: again } = await openMemory({ ...SMALL, compactionThread: 'main' }, fs);
    expect(again.stats().files).toBeGreaterThan(1);
    // A compaction may run after the reopen (the warmer waits for it, and it changes the files):
    // wait, up to 20 s on a loaded machine, until every current table is resident.
    for (let i = 0; i < 4000 && again.stats().memory.residentTables < again.stats().files; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const s = again.stats();
    expect(s.reads.gets).toBe(0);
    expect(s.memory.residentTables).toBe(s.files);
    readAll(again, 5_000);
    await again.close();
  });

  it('a read that opens a table loads its index, filter and one block, never the whole table', async () => {
    const { db, fs } = await openMemory({ ...SMALL, compactionThread: 'main' });
    await fill(db, 5_000);
    await db.close();
    const { db: again } = await openMemory({ ...SMALL, compactionThread: 'main' }, fs);
    // Synchronously, before the warmer's first turn: every table opens for these reads, none turns
    // resident, and the data read is a few blocks per table, not the tables.
    readAll(again, 5_000);
    const s = again.stats();
    expect(s.tableCache.open).toBe(s.files);
    expect(s.memory.residentTables).toBe(0);
    expect(s.memory.resident).toBe(0);
    await warmed(again, (n) => n === again.stats().files);
    expect(again.stats().memory.residentTables).toBe(again.stats().files);
    readAll(again, 5_000);
    await again.close();
  });

  it('rejects a malformed budget', async () => {
    await expect(openMemory({ memoryBudget: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(openMemory({ memoryBudget: 'big' as never })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
