import { MemoryFileSystem } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';
import { SMALL, dump, key, openMemory, text, utf8, value } from './helpers.js';

describe('DB basics', () => {
  it('puts, gets, deletes and reopens', async () => {
    const { db, fs } = await openMemory();
    await db.put('a', '1');
    await db.put(utf8('b'), utf8('2'));
    await db.put('c', '3');
    await db.delete('b');
    expect(text(await db.get('a'))).toBe('1');
    expect(await db.get('b')).toBeUndefined();
    expect(text(db.getSync('c'))).toBe('3');
    expect((await db.getMany(['a', 'b', 'c', 'd'])).map(text)).toEqual(['1', undefined, '3', undefined]);
    await db.close();
    const db2 = await DB.open('/db', { fs });
    expect(dump(db2)).toEqual([
      ['a', '1'],
      ['c', '3'],
    ]);
    await db2.close();
  });

  it('allows empty keys and empty values', async () => {
    const { db } = await openMemory();
    await db.put('', '');
    await db.put('x', new Uint8Array(0));
    expect(db.getSync('')).toEqual(new Uint8Array(0));
    expect(dump(db)).toEqual([
      ['', ''],
      ['x', ''],
    ]);
    await db.close();
  });

  it('returns copies that callers may mutate', async () => {
    const { db } = await openMemory();
    const v = utf8('value');
    await db.put('k', v);
    v[0] = 0;
    const got = db.getSync('k')!;
    expect(text(got)).toBe('value');
    got[0] = 0;
    expect(text(db.getSync('k'))).toBe('value');
    await db.close();
  });

  it('writes batches atomically, both forms', async () => {
    const { db } = await openMemory();
    await db.write([
      { type: 'put', key: 'a', value: '1' },
      { type: 'put', key: 'b', value: '2' },
      { type: 'del', key: 'a' },
    ]);
    await db.batch().put('c', '3').del('b').put('d', '4').write({ sync: true });
    expect(dump(db)).toEqual([
      ['c', '3'],
      ['d', '4'],
    ]);
    await db.write([]);
    await db.close();
  });

  it('survives many writes across flushes, compactions and reopen', async () => {
    const { db, fs } = await openMemory(SMALL);
    const n = 3000;
    for (let i = 0; i < n; i++) await db.put(key(i), value(i));
    for (let i = 0; i < n; i += 3) await db.delete(key(i));
    for (let i = 1; i < n; i += 3) await db.put(key(i), value(i, 1));
    const check = (d: DB) => {
      for (let i = 0; i < n; i++) {
        const expected = i % 3 === 0 ? undefined : i % 3 === 1 ? value(i, 1) : value(i);
        expect(text(d.getSync(key(i)))).toBe(expected);
      }
    };
    check(db);
    expect(db.stats().files).toBeGreaterThan(0);
    await db.close();
    const db2 = await DB.open('/db', { fs });
    check(db2);
    expect(dump(db2).length).toBe(n - n / 3);
    await db2.close();
  });

  it('groups writes issued in one tick', async () => {
    const { db } = await openMemory();
    await Promise.all(Array.from({ length: 100 }, (_, i) => db.put(key(i), value(i), { sync: i === 50 })));
    const s = db.stats();
    expect(s.writes.records).toBe(100);
    expect(s.writes.groups).toBe(1);
    expect(s.writes.syncs).toBe(1);
    await db.close();
  });

  it('uses a fresh MemoryFileSystem per test', () => {
    expect(new MemoryFileSystem().exists('/db')).toBe(false);
  });
});
