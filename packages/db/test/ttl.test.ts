// Time to live: puts with `ttl` or `expiresAt` (or a database-wide `defaultTtl`) read as deleted from
// their expiry time on, in every read path, with a fake clock; compactions remove them; the format
// marker and table footers are raised so that older code refuses what it would misread.
import { LeveledCompaction } from '@velocity/compaction';
import { MemoryFileSystem, decodeFixed32, fromUtf8 } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB, type DBOptions } from '../src/index.js';
import { dump, openMemory, rejection, text } from './helpers.js';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

/** The format version in the footer of each table of the database in `/db`. */
function tableVersions(fs: MemoryFileSystem): number[] {
  return fs
    .list('/db')
    .filter((n) => n.endsWith('.sst'))
    .map((n) => {
      const bytes = fs.readFile(`/db/${n}`);
      return decodeFixed32(bytes, bytes.length - 16);
    });
}

const marker = (fs: MemoryFileSystem) => fromUtf8(fs.readFile('/db/VELOCITY'));

describe('time to live', () => {
  it('hides a value from get, getMany and iterators in both directions at its expiry, not before', async () => {
    const clock = fakeClock();
    const { db } = await openMemory({ clock: clock.read });
    await db.put('a', '1');
    await db.put('b', 'old');
    await db.put('b', '2', { ttl: 100 });
    await db.put('c', '3', { expiresAt: clock.now + 50 });
    await db.put('d', '4');
    const all = [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
    ];
    expect(dump(db)).toEqual(all);
    clock.now += 49;
    expect(text(await db.get('c'))).toBe('3');
    clock.now += 1;
    expect(await db.get('c')).toBeUndefined();
    expect((await db.getMany(['a', 'b', 'c'])).map(text)).toEqual(['1', '2', undefined]);
    expect(dump(db)).toEqual([all[0], all[1], all[3]]);
    clock.now += 50;
    // The expired put hides the older value under it, as a deletion would.
    expect(await db.get('b')).toBeUndefined();
    expect(dump(db)).toEqual([all[0], all[3]]);
    expect(dump(db, { reverse: true })).toEqual([all[3], all[0]]);
    expect(dump(db, { gt: 'a', lt: 'd' })).toEqual([]);
    expect(dump(db, { gte: 'b', reverse: true })).toEqual([all[3]]);
    await db.close();
  });

  it('judges expiry when the read happens, also for an iterator created before', async () => {
    const clock = fakeClock();
    const { db } = await openMemory({ clock: clock.read });
    await db.put('k', 'v', { ttl: 10 });
    await db.put('z', 'z');
    const it = db.iterator();
    clock.now += 10;
    expect([...it].map(([k]) => fromUtf8(k))).toEqual(['z']);
    await db.close();
  });

  it('keeps hiding expired values in tables, after reopen, and removes them in compaction', async () => {
    const clock = fakeClock();
    const fs = new MemoryFileSystem();
    const options: DBOptions = {
      fs,
      clock: clock.read,
      memtableSize: 16 * 1024,
      compaction: new LeveledCompaction({ level0FileTrigger: 100 }),
    };
    let db = await DB.open('/db', options);
    for (let i = 0; i < 300; i++) {
      const k = `key${String(i).padStart(4, '0')}`;
      if (i % 3 === 0) await db.put(k, `value-${i}`, { ttl: 1000 });
      else await db.put(k, `value-${i}`);
    }
    await db.flush();
    expect(tableVersions(fs).length).toBeGreaterThan(0);
    expect(tableVersions(fs).every((v) => v === 2)).toBe(true);
    clock.now += 1000;
    const live = dump(db);
    expect(live.length).toBe(200);
    expect(live.every(([k]) => Number(k.slice(3)) % 3 !== 0)).toBe(true);
    expect(dump(db, { reverse: true })).toEqual([...live].reverse());
    await db.close();
    db = await DB.open('/db', options);
    expect(dump(db)).toEqual(live);
    expect(await db.get('key0003')).toBeUndefined();
    await db.compactRange();
    expect(dump(db)).toEqual(live);
    // Compaction wrote none of the 100 expired values (bottommost: not even tombstones), and its
    // tables hold no value with an expiry, so they are plain version-1 tables.
    const stats = db.stats();
    expect(stats.levels.reduce((n, l) => n + l.entries, 0)).toBe(200);
    expect(tableVersions(fs).every((v) => v === 1)).toBe(true);
    await db.close();
  });

  it('never lets an older value reappear when the newer one expires, through compaction', async () => {
    const clock = fakeClock();
    const { db } = await openMemory({ clock: clock.read, memtableSize: 16 * 1024 });
    await db.put('k', 'old');
    await db.compactRange();
    await db.put('k', 'new', { ttl: 5 });
    await db.flush();
    clock.now += 5;
    expect(await db.get('k')).toBeUndefined();
    await db.compactRange();
    expect(await db.get('k')).toBeUndefined();
    expect(dump(db)).toEqual([]);
    await db.close();
  });

  it('applies the default TTL to puts without one, in puts, batches and writes; Infinity opts out', async () => {
    const clock = fakeClock();
    const { db } = await openMemory({ clock: clock.read, defaultTtl: 100 });
    await db.put('a', '1');
    await db.put('forever', 'x', { ttl: Number.POSITIVE_INFINITY });
    await db.batch().put('b', '2').put('c', '3', { ttl: 500 }).write();
    await db.write([
      { type: 'put', key: 'd', value: '4' },
      { type: 'put', key: 'e', value: '5', expiresAt: clock.now + 1000 },
    ]);
    clock.now += 100;
    expect(dump(db).map(([k]) => k)).toEqual(['c', 'e', 'forever']);
    clock.now += 400;
    expect(dump(db).map(([k]) => k)).toEqual(['e', 'forever']);
    clock.now += 500;
    expect(dump(db).map(([k]) => k)).toEqual(['forever']);
    await db.close();
  });

  it('raises the format marker to 2 before the first value with an expiry, and not without one', async () => {
    const clock = fakeClock();
    const { db, fs } = await openMemory({ clock: clock.read });
    await db.put('plain', 'v');
    await db.flush();
    expect(marker(fs)).toBe('velocity\nformat-version 1\n');
    expect(tableVersions(fs)).toEqual([1]);
    await db.put('ttl', 'v', { ttl: 1 });
    expect(marker(fs)).toBe('velocity\nformat-version 2\n');
    await db.close();
    // This code still opens it.
    const again = await DB.open('/db', { fs, clock: clock.read });
    expect(text(await again.get('plain'))).toBe('v');
    await again.close();
  });

  it('survives a power loss: the log record of a put with expiry is replayed with its expiry', async () => {
    const clock = fakeClock();
    const fs = new MemoryFileSystem();
    const db = await DB.open('/db', { fs, clock: clock.read });
    await db.put('k', 'v', { ttl: 10, sync: true });
    const crashed = fs.crash();
    await db.close();
    const again = await DB.open('/db', { fs: crashed, clock: clock.read });
    expect(text(await again.get('k'))).toBe('v');
    clock.now += 10;
    expect(await again.get('k')).toBeUndefined();
    await again.close();
  });

  it('refuses malformed ttl and expiresAt options', async () => {
    const { db } = await openMemory();
    for (const options of [
      { ttl: 0 },
      { ttl: -1 },
      { ttl: Number.NaN },
      { ttl: '5' },
      { expiresAt: 1.5 },
      { expiresAt: -1 },
      { expiresAt: 2 ** 60 },
      { ttl: 5, expiresAt: 5 },
    ]) {
      expect((await rejection(db.put('k', 'v', options as never))).code, JSON.stringify(options)).toBe(
        'INVALID_ARGUMENT',
      );
    }
    expect((await rejection(db.write([{ type: 'put', key: 'k', value: 'v', ttl: -5 }]))).message).toMatch(
      /operation 0: ttl/,
    );
    expect((await rejection(db.batch().put('k', 'v', { ttl: -5 }).write())).code).toBe('INVALID_ARGUMENT');
    expect(await db.get('k')).toBeUndefined();
    await db.close();
    const fs = new MemoryFileSystem();
    for (const bad of [{ defaultTtl: 0 }, { defaultTtl: 'x' }, { clock: 5 }, { compactionFilter: 'x' }]) {
      expect((await rejection(DB.open('/db', { fs, ...(bad as DBOptions) }))).code).toBe('INVALID_ARGUMENT');
    }
    const none = await DB.open('/db', { fs, defaultTtl: Number.POSITIVE_INFINITY });
    await none.put('k', 'v');
    expect(marker(fs)).toBe('velocity\nformat-version 1\n');
    await none.close();
  });

  it('stores an empty value and a string value with an expiry', async () => {
    const clock = fakeClock();
    const { db } = await openMemory({ clock: clock.read });
    await db.put('empty', new Uint8Array(0), { ttl: 10 });
    await db.put('text', 'héllo', { ttl: 10 });
    expect((await db.get('empty'))?.length).toBe(0);
    expect(text(await db.get('text'))).toBe('héllo');
    await db.flush();
    expect((await db.get('empty'))?.length).toBe(0);
    expect(text(await db.get('text'))).toBe('héllo');
    clock.now += 10;
    expect(await db.get('empty')).toBeUndefined();
    await db.close();
  });
});
