// A damaged CURRENT file is refused with CORRUPTION naming it, and the directory is left as it was;
// table readers stay bounded by maxOpenFiles however many tables a read path touches.
import type { MemoryFileSystem } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';
import { dump, key, openMemory, rejection, value, writeText } from './helpers.js';

async function database(): Promise<MemoryFileSystem> {
  const { db, fs } = await openMemory();
  await db.put('k', 'v');
  await db.close();
  return fs;
}

describe('a damaged CURRENT', () => {
  const cases: [string, (current: string) => string, RegExp][] = [
    ['without its final newline', (current) => current.slice(0, -1), /newline/],
    ['naming something other than a manifest', () => '000005.log\n', /names no manifest/],
    ['naming a manifest that does not exist', () => 'MANIFEST-009999\n', /missing manifest/],
  ];
  for (const [what, damage, message] of cases) {
    it(`is CORRUPTION when ${what}, and nothing changes`, async () => {
      const fs = await database();
      const current = new TextDecoder().decode(fs.readFile('/db/CURRENT'));
      writeText(fs, '/db/CURRENT', damage(current));
      const before = fs.list('/db');
      const error = await rejection(DB.open('/db', { fs }));
      expect(error.code).toBe('CORRUPTION');
      expect(error.message).toMatch(message);
      expect(fs.list('/db')).toEqual(before);
      writeText(fs, '/db/CURRENT', current); // repaired, the database opens with its data
      const db = await DB.open('/db', { fs });
      expect(dump(db)).toEqual([['k', 'v']]);
      await db.close();
    });
  }
});

describe('maxOpenFiles', () => {
  it('bounds the open table readers while gets and scans touch more tables than that', async () => {
    const { db } = await openMemory({
      memtableSize: 1024,
      blockSize: 256,
      maxOpenFiles: 8,
      compaction: { name: 'none', numLevels: 2, pickCompaction: () => undefined },
    });
    for (let t = 0; t < 24; t++) {
      for (let i = t * 10; i < t * 10 + 10; i++) await db.put(key(i), value(i));
      await db.flush();
    }
    expect(db.stats().levels[0].files).toBeGreaterThanOrEqual(24);
    for (let i = 0; i < 240; i += 7) expect(db.getSync(key(i))).toBeDefined();
    expect(db.stats().tableCache.open).toBeLessThanOrEqual(8);
    // A scan pins one reader per level-0 table at once, more than the bound; they close when it ends.
    const iterator = db.iterator();
    expect(iterator.nextv(1000).length).toBe(240);
    iterator.close();
    expect(db.stats().tableCache.open).toBeLessThanOrEqual(8);
    expect(db.stats().tableCache.opened).toBeGreaterThan(24);
    await db.close();
  });
});
