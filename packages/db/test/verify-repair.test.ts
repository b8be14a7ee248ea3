import { MemoryFileSystem, joinPath } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB, repair, verify } from '../src/index.js';
import { SMALL, key, rejection, text, value } from './helpers.js';

/**
 * A database with at least two tables and a log, closed: one table in level 1 (compacted, so that no
 * background compaction merges tables while the test runs) and one or two in level 0.
 */
async function build(fs = new MemoryFileSystem()) {
  const db = await DB.open('/db', { fs, ...SMALL });
  for (let i = 0; i < 300; i++) await db.put(key(i), value(i, 0, 100));
  await db.compactRange();
  for (let i = 300; i < 600; i++) await db.put(key(i), value(i, 0, 100));
  await db.flush();
  await db.delete(key(5));
  await db.put(key(7), 'newer');
  await db.close();
  return fs;
}

const named = (fs: MemoryFileSystem, suffix: string) => fs.list('/db').filter((n) => n.endsWith(suffix));

describe('verify', () => {
  it('reports an intact database as ok, with notes', async () => {
    const fs = await build();
    const report = await verify('/db', { fs });
    expect(report.ok).toBe(true);
    expect(report.damage).toEqual([]);
    expect(report.tables).toBe(named(fs, '.sst').length);
    expect(report.logs).toBeGreaterThan(0);
    expect(report.notes.some((n) => /live tables/.test(n))).toBe(true);
  });

  it('names a damaged table, a missing table and a damaged manifest', async () => {
    const fs = await build();
    const [first, second] = named(fs, '.sst');
    fs.corrupt(joinPath('/db', first), 40, new Uint8Array([1, 2, 3, 4, 5, 6]));
    fs.remove(joinPath('/db', second));
    const report = await verify('/db', { fs });
    expect(report.ok).toBe(false);
    expect(report.damage.map((d) => d.file)).toEqual([first, second]);
    expect(report.damage[1].problem).toContain('missing');
    const manifest = named(fs, '').find((n) => n.startsWith('MANIFEST-')) as string;
    fs.truncate(joinPath('/db', manifest), 10);
    const again = await verify('/db', { fs });
    expect(again.damage.some((d) => d.file === 'MANIFEST/CURRENT')).toBe(true);
  });

  it('notes a torn tail of the newest log, and calls damage in an older log damage', async () => {
    const fs = new MemoryFileSystem();
    const db = await DB.open('/db', { fs, ...SMALL });
    for (let i = 0; i < 50; i++) await db.put(key(i), value(i, 0, 100));
    const log = named(fs, '.log').at(-1) as string;
    const survivor = fs.kill(); // the process dies: its log stays as it is
    survivor.truncate(joinPath('/db', log), survivor.size(joinPath('/db', log)) - 3);
    const torn = await verify('/db', { fs: survivor });
    expect(torn.ok).toBe(true);
    expect(torn.notes.some((n) => n.includes('torn tail'))).toBe(true);
    // The same damage in a log that is not the newest one is damage.
    survivor.openWritable(joinPath('/db', '999999.log')).close();
    const older = await verify('/db', { fs: survivor });
    expect(older.damage.map((d) => d.file)).toEqual([log]);
  });

  it('refuses what is not a database', async () => {
    const fs = new MemoryFileSystem();
    expect((await rejection(verify('/nowhere', { fs }))).code).toBe('NOT_FOUND');
    fs.mkdir('/plain');
    expect((await rejection(verify('/plain', { fs }))).code).toBe('NOT_A_DATABASE');
  });
});

describe('repair', () => {
  it('salvages the readable rest of a damaged database and keeps the originals', async () => {
    const fs = await build();
    const [first] = named(fs, '.sst');
    const path = joinPath('/db', first);
    const size = fs.size(path);
    fs.corrupt(path, Math.floor(size / 3), new Uint8Array(8).fill(0xee));
    const damaged = fs.readFile(path).slice();
    const report = await repair('/db', { fs, now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) });
    expect(report.movedTo).toBe('/db.damaged-2026-01-02T03-04-05-000Z');
    expect(report.losses.some((l) => l.startsWith(first))).toBe(true);
    expect(report.keys).toBeGreaterThan(400);
    expect(report.keys).toBeLessThan(599);
    expect(fs.readFile(joinPath(report.movedTo, first))).toEqual(damaged);
    expect((await verify('/db', { fs })).ok).toBe(true);
    const db = await DB.open('/db', { fs });
    expect(db.getSync(key(5))).toBeUndefined(); // deleted stays deleted
    expect(text(db.getSync(key(7)))).toBe('newer'); // the newest version wins
    expect(text(db.getSync(key(599)))).toBe(value(599, 0, 100));
    await db.close();
  });

  it('reports malformed batches and dropped bytes of logs', async () => {
    const fs = new MemoryFileSystem();
    const db = await DB.open('/db', { fs, ...SMALL });
    for (let i = 0; i < 20; i++) await db.put(key(i), value(i, 0, 100));
    await db.close();
    const log = named(fs, '.log').at(-1) as string;
    fs.corrupt(joinPath('/db', log), 20, new Uint8Array([0xff, 0xff]));
    const report = await repair('/db', { fs });
    expect(report.losses.some((l) => l.startsWith(log))).toBe(true);
    expect(report.keys).toBeGreaterThanOrEqual(18);
  });

  it('says nothing was lost for an intact database', async () => {
    const fs = await build();
    const report = await repair('/db', { fs });
    expect(report.losses).toEqual([]);
    expect(report.keys).toBe(599);
  });

  it('refuses a locked database, a foreign directory and an unreadable table', async () => {
    const fs = await build();
    const db = await DB.open('/db', { fs });
    expect((await rejection(repair('/db', { fs }))).code).toBe('LOCKED');
    await db.close();
    fs.mkdir('/other');
    fs.openWritable('/other/notes.txt').close();
    expect((await rejection(repair('/other', { fs }))).code).toBe('NOT_A_DATABASE');
    const [first] = named(fs, '.sst');
    fs.truncate(joinPath('/db', first), 5);
    const report = await repair('/db', { fs });
    expect(report.losses.some((l) => l.includes('unreadable') && l.startsWith(first))).toBe(true);
  });
});
