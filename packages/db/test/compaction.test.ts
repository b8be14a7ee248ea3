import { LazyLevelingCompaction, LeveledCompaction, TieredCompaction } from '@velocity/compaction';
import type { CompactionStrategy } from '@velocity/compaction';
import { describe, expect, it } from 'vitest';
import { DB, type CompactionEvent, type FlushEvent } from '../src/index.js';
import { dump, key, openMemory, text, value } from './helpers.js';

const strategies: [string, () => CompactionStrategy][] = [
  [
    'leveled',
    () =>
      new LeveledCompaction({
        level0FileTrigger: 2,
        maxBytesForLevelBase: 64 * 1024,
        targetFileSize: 16 * 1024,
      }),
  ],
  ['tiered', () => new TieredCompaction()],
  ['lazy leveling', () => new LazyLevelingCompaction({ targetFileSize: 16 * 1024 })],
];

describe.each(strategies)('compaction with %s', (_name, make) => {
  it('keeps data identical through background compactions and compactRange', async () => {
    const { db, fs } = await openMemory({ compaction: make(), memtableSize: 32 * 1024, blockSize: 512 });
    const model = new Map<string, string>();
    for (let i = 0; i < 4000; i++) {
      const k = key((i * 7919) % 1500);
      if (i % 11 === 0) {
        await db.delete(k);
        model.delete(k);
      } else {
        await db.put(k, value(i));
        model.set(k, value(i));
      }
    }
    const expected = [...model.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(dump(db)).toEqual(expected);
    await db.compactRange();
    expect(dump(db)).toEqual(expected);
    expect(dump(db, { reverse: true })).toEqual([...expected].reverse());
    for (const [k, v] of expected) expect(text(db.getSync(k))).toBe(v);
    const stats = db.stats();
    expect(stats.levels[0].files).toBe(0);
    // After a full compaction nothing is shadowed: entries equal live keys.
    expect(stats.levels.reduce((n, l) => n + l.entries, 0)).toBe(expected.length);
    await db.close();
    const again = await DB.open('/db', { fs, compaction: make() });
    expect(dump(again)).toEqual(expected);
    await again.close();
  });
});

describe('compaction', () => {
  it('compacts only the requested range', async () => {
    const { db } = await openMemory({ memtableSize: 16 * 1024 });
    for (let i = 0; i < 1000; i++) await db.put(key(i), value(i));
    await db.flush();
    await db.compactRange({ start: key(100), end: key(200) });
    expect(dump(db).length).toBe(1000);
    await db.close();
  });

  it('drops tombstones at the bottom unless a snapshot needs them', async () => {
    const { db } = await openMemory();
    for (let i = 0; i < 100; i++) await db.put(key(i), value(i));
    const snap = db.snapshot();
    for (let i = 0; i < 100; i++) await db.delete(key(i));
    await db.compactRange();
    expect(dump(db)).toEqual([]);
    expect(dump(db, { snapshot: snap }).length).toBe(100);
    expect(db.stats().files).toBeGreaterThan(0);
    snap.release();
    await db.compactRange();
    expect(db.stats().files).toBe(0);
    await db.close();
  });

  it('deletes obsolete tables, but not while an iterator reads them', async () => {
    const { db, fs } = await openMemory({ memtableSize: 16 * 1024 });
    for (let i = 0; i < 500; i++) await db.put(key(i), value(i));
    await db.flush();
    const tablesBefore = fs.list('/db').filter((n) => n.endsWith('.sst'));
    expect(tablesBefore.length).toBeGreaterThan(0);
    const it = db.iterator();
    for (let i = 0; i < 500; i++) await db.put(key(i), value(i, 1));
    await db.compactRange();
    const names = fs.list('/db');
    for (const t of tablesBefore) expect(names).toContain(t);
    let n = 0;
    for (const [, v] of it) {
      expect(text(v)).toBe(value(n));
      n++;
    }
    expect(n).toBe(500);
    const after = fs.list('/db');
    for (const t of tablesBefore) expect(after).not.toContain(t);
    expect(db.stats().liveVersions).toBe(1);
    await db.close();
  });

  it('emits flush and compaction events', async () => {
    const { db } = await openMemory({ memtableSize: 16 * 1024 });
    const flushes: FlushEvent[] = [];
    const compactions: CompactionEvent[] = [];
    db.on('flush', (e) => flushes.push(e));
    const onCompaction = (e: CompactionEvent) => compactions.push(e);
    db.on('compaction', onCompaction);
    for (let i = 0; i < 2000; i++) await db.put(key(i), value(i));
    await db.compactRange();
    expect(flushes.length).toBeGreaterThan(0);
    expect(flushes[0].level).toBe(0);
    expect(flushes[0].entries).toBeGreaterThan(0);
    expect(flushes[0].bytes).toBeGreaterThan(0);
    expect(compactions.length).toBeGreaterThan(0);
    const last = compactions[compactions.length - 1];
    expect(last.reason).toMatch(/manual/);
    expect(last.inputs.length).toBeGreaterThan(0);
    db.off('compaction', onCompaction);
    await db.put('x', 'y');
    await db.compactRange();
    expect(compactions[compactions.length - 1]).toBe(last);
    await db.close();
  });

  it('keeps the event loop turning during a long compaction', async () => {
    const { db } = await openMemory({ memtableSize: 256 * 1024, backgroundSliceMs: 2 });
    for (let i = 0; i < 20000; i++) await db.put(key(i % 5000), value(i, 0, 60));
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await db.compactRange();
    running = false;
    expect(ticks).toBeGreaterThan(1);
    await db.close();
  });

  it('reports stats and properties', async () => {
    const { db } = await openMemory({ memtableSize: 16 * 1024 });
    for (let i = 0; i < 1000; i++) await db.put(key(i), value(i));
    await db.flush();
    for (let i = 0; i < 1000; i++) db.getSync(key(i));
    const s = db.stats();
    expect(s.levels.length).toBe(7);
    expect(s.files).toBe(s.levels.reduce((n, l) => n + l.files, 0));
    expect(s.bytes).toBeGreaterThan(0);
    expect(s.writeAmplification).toBeGreaterThan(1);
    expect(s.bytesWritten).toBeGreaterThan(s.writes.userBytes);
    expect(s.writes.records).toBe(1000);
    expect(s.blockCache?.name).toBeTypeOf('string');
    expect(s.reads.gets).toBe(1000);
    expect(db.getProperty('velocity.num-files-at-level0')).toBe(String(s.levels[0].files));
    expect(db.getProperty('leveldb.num-files-at-level1')).toBe(String(s.levels[1].files));
    expect(db.getProperty('velocity.stats')).toMatch(/write amplification/);
    expect(db.getProperty('velocity.sstables')).toMatch(/level 0/);
    expect(db.getProperty('velocity.last-sequence')).toBe('1000');
    expect(db.getProperty('velocity.nope')).toBeUndefined();
    expect(db.getProperty('other')).toBeUndefined();
    await db.close();
  });
});
