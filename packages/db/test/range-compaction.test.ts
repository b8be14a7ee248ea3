// compactRange under a compaction strategy that has no range task of its own: the engine picks every
// file overlapping the range, widens the range until no file outside it overlaps the files inside,
// and moves them into the deepest non-empty level (at least level 1), dropping overwritten versions
// and, at the bottom, tombstones.
import type { CompactionStrategy } from '@velocity/compaction';
import { fromUtf8 } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import type { DB } from '../src/index.js';
import { dump, key, openMemory, text, value } from './helpers.js';

/** Never compacts on its own, has no range task and no write-pressure signal. */
const manualOnly: CompactionStrategy = {
  name: 'manual-only',
  numLevels: 3,
  pickCompaction: () => undefined,
};

async function fill(db: DB, from: number, to: number, version: number): Promise<void> {
  for (let i = from; i < to; i++) await db.put(key(i), value(i, version));
  await db.flush();
}

function levels(db: DB): { files: number; entries: number; smallest?: string; largest?: string }[] {
  return db.stats().levels.map((l) => ({
    files: l.files,
    entries: l.entries,
    smallest: l.tables[0] && fromUtf8(l.tables[0].smallestKey),
    largest: l.tables.at(-1) && fromUtf8(l.tables.at(-1)?.largestKey ?? new Uint8Array()),
  }));
}

describe('compactRange without a strategy range task', () => {
  it('is a no-op on an empty database', async () => {
    const { db } = await openMemory({ compaction: manualOnly });
    await db.compactRange();
    await db.compactRange({ start: 'a', end: 'b' });
    expect(db.stats().files).toBe(0);
    await db.close();
  });

  it('widens the range over overlapping files, moves them to level 1, and leaves the rest', async () => {
    const { db } = await openMemory({ compaction: manualOnly });
    await fill(db, 0, 100, 0); // keys 0..99
    await fill(db, 50, 150, 1); // keys 50..149, overwriting 50..99
    await fill(db, 200, 300, 0); // keys 200..299, apart from the rest
    expect(levels(db)[0].files).toBe(3);
    // [0, 10] overlaps only the first table, but that table overlaps the second: both go, the third stays.
    await db.compactRange({ start: key(0), end: key(10) });
    const [l0, l1, l2] = levels(db);
    expect(l0).toMatchObject({ files: 1, entries: 100, smallest: key(200), largest: key(299) });
    expect(l1).toMatchObject({ entries: 150, smallest: key(0), largest: key(149) }); // old 50..99 dropped
    expect(l2.files).toBe(0);
    expect(text(db.getSync(key(60)))).toBe(value(60, 1));
    expect(text(db.getSync(key(10)))).toBe(value(10, 0));
    await db.close();
  });

  it('drops tombstones in the range once it reaches the bottom, and compacts everything without bounds', async () => {
    const { db } = await openMemory({ compaction: manualOnly });
    await fill(db, 0, 100, 0);
    await fill(db, 200, 300, 0);
    await db.compactRange(); // no bounds: both tables to level 1
    expect(levels(db)[0].files).toBe(0);
    expect(levels(db)[1].entries).toBe(200);
    for (let i = 0; i < 10; i++) await db.delete(key(i));
    await db.flush();
    await db.compactRange({ start: key(5), end: key(5) });
    const [l0, l1] = levels(db);
    expect(l0.files).toBe(0);
    expect(l1.entries).toBe(190); // the ten deleted keys and their tombstones are gone
    expect(db.getSync(key(3))).toBeUndefined();
    expect(dump(db, { lt: key(12) }).map(([k]) => k)).toEqual([key(10), key(11)]);
    await db.close();
  });

  it('keeps what a live snapshot still needs', async () => {
    const { db } = await openMemory({ compaction: manualOnly });
    await fill(db, 0, 20, 0);
    const snapshot = db.snapshot();
    await fill(db, 0, 20, 1);
    await db.compactRange();
    expect(levels(db)[1].entries).toBe(40); // both versions: the snapshot reads the old ones
    expect(text(db.getSync(key(5), { snapshot }))).toBe(value(5, 0));
    expect(text(db.getSync(key(5)))).toBe(value(5, 1));
    snapshot.release();
    await db.compactRange();
    expect(levels(db).find((l) => l.files > 0)?.entries).toBe(20);
    await db.close();
  });
});
