// Range deletions: db.deleteRange and the deleteRange batch operation write one range tombstone that
// gets, getMany, iterators (both directions, bounds, seek) and snapshots honour at their sequence, in
// the memtable, after a flush, after compactions (main thread and worker) and after a reopen.
import { LeveledCompaction } from '@velocity/compaction';
import {
  InternalKeyComparator,
  MemoryFileSystem,
  bytewiseComparator,
  decodeFixed32,
  fromUtf8,
} from '@velocity/core';
import { TableReader } from '@velocity/sstable';
import { describe, expect, it } from 'vitest';
import { DB, type DBOptions, repair, verify } from '../src/index.js';
import { SMALL, dump, key, openMemory, rejection, text, useTempDirs, value } from './helpers.js';

const tempDir = useTempDirs('velocity-range-');

const keys = (db: DB, options: Parameters<DB['iterator']>[0] = {}) => dump(db, options).map(([k]) => k);

/** Puts keys 0..n-1. */
async function fill(db: DB, n: number, version = 0): Promise<void> {
  for (let i = 0; i < n; i++) await db.put(key(i), value(i, version));
}

/** The keys 0..n-1 that are not in [from, to). */
function outside(n: number, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) if (i < from || i >= to) out.push(key(i));
  return out;
}

/** Keys from..to-1. */
function range(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => key(from + i));
}

/** The format version in the footer of each table. */
function tableVersions(fs: MemoryFileSystem, dir = '/db'): number[] {
  return fs
    .list(dir)
    .filter((n) => n.endsWith('.sst'))
    .map((n) => {
      const bytes = fs.readFile(`${dir}/${n}`);
      return decodeFixed32(bytes, bytes.length - 16);
    });
}

describe('deleteRange', () => {
  it('hides [start, end) from get, getMany and iterators in both directions, in the memtable', async () => {
    const { db } = await openMemory();
    await fill(db, 20);
    await db.deleteRange(key(5), key(15));
    expect(text(await db.get(key(4)))).toBe(value(4));
    expect(await db.get(key(5))).toBeUndefined();
    expect(await db.get(key(14))).toBeUndefined();
    expect(text(await db.get(key(15)))).toBe(value(15));
    expect((await db.getMany([key(3), key(7), key(16)])).map(text)).toEqual([value(3), undefined, value(16)]);
    expect(keys(db)).toEqual(outside(20, 5, 15));
    expect(keys(db, { reverse: true })).toEqual(outside(20, 5, 15).reverse());
    expect(keys(db, { gte: key(3), lt: key(17) })).toEqual([key(3), key(4), key(15), key(16)]);
    expect(keys(db, { gt: key(3), lte: key(16), reverse: true })).toEqual([key(16), key(15), key(4)]);
    await db.close();
  });

  it('leaves newer writes in the range visible, and seek lands after the deleted range', async () => {
    const { db } = await openMemory();
    await fill(db, 10);
    await db.deleteRange(key(2), key(8));
    await db.put(key(5), 'new');
    expect(text(await db.get(key(5)))).toBe('new');
    expect(keys(db)).toEqual([key(0), key(1), key(5), key(8), key(9)]);
    const it1 = db.iterator();
    it1.seek(key(2));
    expect(fromUtf8(it1.nextSync()![0])).toBe(key(5));
    it1.seek(key(6));
    expect(fromUtf8(it1.nextSync()![0])).toBe(key(8));
    it1.close();
    const it2 = db.iterator({ reverse: true });
    it2.seek(key(7));
    expect(fromUtf8(it2.nextSync()![0])).toBe(key(5));
    it2.seek(key(4));
    expect(fromUtf8(it2.nextSync()![0])).toBe(key(1));
    it2.close();
    await db.close();
  });

  it('does not change what a snapshot or an iterator made before it reads', async () => {
    const { db } = await openMemory(SMALL);
    await fill(db, 50);
    const snap = db.snapshot();
    const before = db.iterator();
    await db.deleteRange(key(10), key(40));
    expect(keys(db)).toEqual(outside(50, 10, 40));
    expect(dump(db, { snapshot: snap }).length).toBe(50);
    expect(text(await db.get(key(20), { snapshot: snap }))).toBe(value(20));
    expect(before.all().length).toBe(50);
    await db.flush();
    await db.compactRange();
    expect(text(await db.get(key(20), { snapshot: snap }))).toBe(value(20));
    expect(dump(db, { snapshot: snap }).length).toBe(50);
    expect(await db.get(key(20))).toBeUndefined();
    snap.release();
    await db.compactRange();
    expect(keys(db)).toEqual(outside(50, 10, 40));
    await db.close();
  });

  it('is one record however many keys the range holds', async () => {
    const { db } = await openMemory();
    await fill(db, 200);
    const before = db.stats();
    await db.deleteRange(key(0), key(200));
    const after = db.stats();
    expect(after.writes.records - before.writes.records).toBe(1);
    expect(keys(db)).toEqual([]);
    await db.close();
  });

  it('treats start == end as a no-op and rejects start > end with INVALID_ARGUMENT', async () => {
    const { db, fs } = await openMemory();
    await fill(db, 3);
    const seq = db.stats().writes.records;
    await db.deleteRange(key(1), key(1));
    expect(db.stats().writes.records).toBe(seq);
    expect((await rejection(db.deleteRange(key(2), key(1)))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(db.deleteRange(key(1), 5 as unknown as string))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(db.write([{ type: 'deleteRange', start: 'b', end: 'a' }]))).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect((await rejection(db.batch().deleteRange('b', 'a').write())).code).toBe('INVALID_ARGUMENT');
    expect(keys(db)).toEqual([key(0), key(1), key(2)]);
    // Nothing range-deleted yet: the format marker stays where it was.
    expect(fromUtf8(fs.readFile('/db/VELOCITY'))).toBe('velocity\nformat-version 1\n');
    await db.close();
  });

  it('works in db.write and in a chained batch, atomically with puts and deletes', async () => {
    const { db, fs } = await openMemory();
    await fill(db, 10);
    await db.write([
      { type: 'deleteRange', start: key(0), end: key(5) },
      { type: 'put', key: key(2), value: 'again' },
      { type: 'del', key: key(9) },
    ]);
    expect(keys(db)).toEqual([key(2), key(5), key(6), key(7), key(8)]);
    await db.batch().put(key(20), 'x').deleteRange(key(5), key(8)).deleteRange(key(3), key(3)).write();
    expect(keys(db)).toEqual([key(2), key(8), key(20)]);
    expect(fromUtf8(fs.readFile('/db/VELOCITY'))).toBe('velocity\nformat-version 3\n');
    await db.close();
  });

  it('survives a flush (a version-3 table with a range-deletion block) and older tables still read', async () => {
    const { db, fs } = await openMemory();
    await fill(db, 30);
    await db.flush();
    expect(tableVersions(fs)).toEqual([1]);
    await db.deleteRange(key(10), key(20));
    await db.flush();
    expect(tableVersions(fs).sort()).toEqual([1, 3]);
    expect(keys(db)).toEqual(outside(30, 10, 20));
    expect(await db.get(key(15))).toBeUndefined();
    expect(text(await db.get(key(25)))).toBe(value(25));
    await db.close();
  });

  it('a flushed memtable holding only a range tombstone still writes a table', async () => {
    const { db, fs } = await openMemory();
    await fill(db, 10);
    await db.flush();
    await db.deleteRange(key(0), key(5));
    await db.flush();
    expect(tableVersions(fs).length).toBe(2);
    const reopened = await reopen(db, fs);
    expect(keys(reopened)).toEqual(outside(10, 0, 5));
    await reopened.close();
  });

  it('is replayed from the log after a crash without a flush', async () => {
    const fs = new MemoryFileSystem();
    const { db } = await openMemory({}, fs);
    await fill(db, 20);
    await db.flush();
    await db.deleteRange(key(3), key(17), { sync: true });
    const survivor = fs.crash(); // power loss: only what was synced survives
    const { db: again } = await openMemory({}, survivor);
    expect(keys(again)).toEqual(outside(20, 3, 17));
    expect(await again.get(key(3))).toBeUndefined();
    await again.close();
  });

  for (const thread of ['main', 'worker'] as const) {
    it(`compactions (${thread} thread) drop covered entries and keep what a tombstone does not cover`, async () => {
      const options: DBOptions = {
        ...SMALL,
        compactionThread: thread,
        compaction: new LeveledCompaction({
          level0FileTrigger: 2,
          maxBytesForLevelBase: 16384,
          targetFileSize: 4096,
        }),
      };
      // The worker runs on the real disk only.
      const db = thread === 'worker' ? await DB.open(tempDir(), options) : (await openMemory(options)).db;
      await fill(db, 2000);
      const snap = db.snapshot();
      await db.deleteRange(key(500), key(1500));
      for (let i = 1000; i < 1100; i++) await db.put(key(i), value(i, 1));
      await db.flush();
      // Held across compactions: the tombstone stays, cut at output boundaries, and the snapshot
      // still reads every old value.
      await db.compactRange();
      expect(keys(db)).toEqual([...outside(2000, 500, 1500), ...range(1000, 1100)].sort());
      const old = dump(db, { snapshot: snap });
      expect(old.length).toBe(2000);
      expect(old[700]).toEqual([key(700), value(700)]);
      expect(text(await db.get(key(1050), { snapshot: snap }))).toBe(value(1050));
      expect(db.stats().levels.reduce((n, l) => n + l.files, 0)).toBeGreaterThan(2);
      snap.release();
      await db.compactRange();
      const expected = outside(2000, 500, 1500);
      for (let i = 1000; i < 1100; i++) expected.push(key(i));
      expected.sort();
      expect(keys(db)).toEqual(expected);
      expect(keys(db, { reverse: true })).toEqual([...expected].reverse());
      expect(text(await db.get(key(1050)))).toBe(value(1050, 1));
      expect(await db.get(key(700))).toBeUndefined();
      const stats = db.stats();
      const entries = stats.levels.reduce((n, l) => n + l.entries, 0);
      expect(entries).toBe(expected.length);
      await db.close();
    });
  }
});

async function reopen(db: DB, fs: MemoryFileSystem, options: DBOptions = {}): Promise<DB> {
  await db.close();
  return (await openMemory(options, fs)).db;
}

describe('range deletions on disk', () => {
  /** A database whose only table with a range tombstone is the newest one; returns its file name. */
  async function withTombstoneTable(): Promise<{ fs: MemoryFileSystem; table: string }> {
    const { db, fs } = await openMemory();
    await fill(db, 50);
    await db.flush();
    const before = new Set(fs.list('/db'));
    await db.deleteRange(key(10), key(40));
    await db.flush();
    await db.close();
    const table = fs.list('/db').find((n) => n.endsWith('.sst') && !before.has(n)) as string;
    return { fs, table };
  }

  it('a flipped byte in a range-deletion block is CORRUPTION for reads and verify, never lost deletes', async () => {
    const { fs, table } = await withTombstoneTable();
    const bytes = fs.readFile(`/db/${table}`);
    const reader = TableReader.open(fs.openReadable(`/db/${table}`), {
      comparator: new InternalKeyComparator(bytewiseComparator),
    });
    // Layout: data blocks, filter block, range-deletion block, properties...
    const { dataBytes, filterBytes } = reader.properties;
    reader.close();
    bytes[dataBytes + filterBytes + 3] ^= 0x10; // inside the range-deletion block's contents
    const f = fs.openWritable(`/db/${table}`);
    f.append(bytes);
    f.sync();
    f.close();
    const report = await verify('/db', { fs });
    expect(report.ok).toBe(false);
    expect(report.damage.map((d) => d.file)).toContain(table);
    const opened = await openMemory({}, fs).then(
      (r) => r,
      (error) => ({ error }),
    );
    if ('error' in opened) {
      expect((opened.error as { code?: string }).code).toBe('CORRUPTION');
      return;
    }
    const error = await rejection(opened.db.get(key(20)));
    expect(error.code).toBe('CORRUPTION');
    await opened.db.close().catch(() => {});
  });

  it('repair keeps range-deleted keys deleted', async () => {
    const { fs } = await withTombstoneTable();
    const report = await repair('/db', { fs });
    expect(report.losses).toEqual([]);
    const { db } = await openMemory({}, fs);
    expect(keys(db)).toEqual(outside(50, 10, 40));
    await db.close();
  });

  it('a read-only handle replays range deletions from the log and refuses new ones', async () => {
    const fs = new MemoryFileSystem();
    const { db } = await openMemory({}, fs);
    await fill(db, 10);
    await db.deleteRange(key(2), key(5));
    const reader = (await openMemory({ readOnly: true }, fs)).db;
    expect(keys(reader)).toEqual(outside(10, 2, 5));
    expect((await rejection(reader.deleteRange(key(0), key(1)))).code).toBe('OPENED_READ_ONLY');
    await db.deleteRange(key(7), key(9));
    await reader.refresh();
    expect(keys(reader)).toEqual([0, 1, 5, 6, 9].map(key));
    await reader.close();
    await db.close();
  });

  it('an older table format still reads beside version-3 tables, and verify passes', async () => {
    const { fs } = await withTombstoneTable();
    expect(tableVersions(fs).sort()).toEqual([1, 3]);
    expect((await verify('/db', { fs })).ok).toBe(true);
  });
});
