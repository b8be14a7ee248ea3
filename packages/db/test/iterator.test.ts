import { fromUtf8 } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SMALL, dump, key, openMemory, rejection, thrown, value } from './helpers.js';

async function filled(n: number, options = SMALL) {
  const { db, fs } = await openMemory(options);
  for (let i = 0; i < n; i++) await db.put(key(i), value(i));
  return { db, fs };
}

const keysOf = (entries: [string, string][]) => entries.map((e) => e[0]);

describe('iterator', () => {
  it('honours gt/gte/lt/lte, reverse and limit', async () => {
    const { db } = await filled(50);
    const all = Array.from({ length: 50 }, (_, i) => key(i));
    expect(keysOf(dump(db))).toEqual(all);
    expect(keysOf(dump(db, { gte: key(10), lt: key(20) }))).toEqual(all.slice(10, 20));
    expect(keysOf(dump(db, { gt: key(10), lte: key(20) }))).toEqual(all.slice(11, 21));
    expect(keysOf(dump(db, { gt: key(10), lte: key(20), reverse: true }))).toEqual(
      all.slice(11, 21).reverse(),
    );
    expect(keysOf(dump(db, { reverse: true, limit: 3 }))).toEqual([key(49), key(48), key(47)]);
    expect(keysOf(dump(db, { limit: 0 }))).toEqual([]);
    expect(keysOf(dump(db, { limit: -1 }))).toEqual(all);
    expect(keysOf(dump(db, { gte: 'zzz' }))).toEqual([]);
    expect(keysOf(dump(db, { lt: key(0) }))).toEqual([]);
    // gt and gte together: both apply.
    expect(keysOf(dump(db, { gt: key(5), gte: key(3), lt: key(8) }))).toEqual(all.slice(6, 8));
    await db.close();
  });

  it('matches a sorted model across flushes and compactions (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.boolean()), { minLength: 1, maxLength: 400 }),
        fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        async (ops, lo, hi, reverse, flushes) => {
          const { db } = await openMemory({ memtableSize: 4096 * 4 });
          const model = new Map<string, string>();
          let i = 0;
          for (const [k, del] of ops) {
            if (del) {
              await db.delete(key(k));
              model.delete(key(k));
            } else {
              await db.put(key(k), value(k, i));
              model.set(key(k), value(k, i));
            }
            i++;
            if (flushes > 0 && i % Math.ceil(ops.length / flushes) === 0) await db.flush();
          }
          let expected = [...model.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
          const options: Parameters<typeof dump>[1] = { reverse };
          if (lo !== undefined) {
            options.gte = key(lo);
            expected = expected.filter((e) => e[0] >= key(lo));
          }
          if (hi !== undefined) {
            options.lt = key(hi);
            expected = expected.filter((e) => e[0] < key(hi));
          }
          if (reverse) expected.reverse();
          expect(dump(db, options)).toEqual(expected);
          await db.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is isolated from writes, flushes and compactions made after it started', async () => {
    const { db } = await filled(300);
    const it = db.iterator();
    const first = it.nextSync();
    expect(first && fromUtf8(first[0])).toBe(key(0));
    for (let i = 0; i < 300; i++) await db.put(key(i), value(i, 9));
    for (let i = 300; i < 400; i++) await db.put(key(i), value(i));
    await db.delete(key(1));
    await db.compactRange();
    const rest: string[] = [];
    for (let e = it.nextSync(); e !== undefined; e = it.nextSync()) {
      rest.push(fromUtf8(e[0]));
      expect(fromUtf8(e[1])).toBe(value(rest.length));
    }
    expect(rest.length).toBe(299);
    it.close();
    await db.close();
  });

  it('reads at a snapshot', async () => {
    const { db } = await filled(100);
    const snap = db.snapshot();
    for (let i = 0; i < 100; i += 2) await db.delete(key(i));
    await db.put(key(1), 'changed');
    await db.compactRange();
    expect(dump(db, { snapshot: snap }).length).toBe(100);
    expect(dump(db, { snapshot: snap })[1]).toEqual([key(1), value(1)]);
    expect(fromUtf8(db.getSync(key(1), { snapshot: snap })!)).toBe(value(1));
    expect(fromUtf8(db.getSync(key(1))!)).toBe('changed');
    expect(dump(db).length).toBe(50);
    snap.release();
    snap.release();
    expect(thrown(() => db.getSync(key(1), { snapshot: snap })).code).toBe('INVALID_ARGUMENT');
    await db.close();
  });

  it('seeks forward and backward, and supports keys() and values()', async () => {
    const { db } = await filled(20);
    const it = db.iterator();
    it.seek(key(5));
    expect(fromUtf8(it.nextSync()![0])).toBe(key(5));
    expect(fromUtf8(it.nextSync()![0])).toBe(key(6));
    it.seek(`${key(9)}a`);
    expect(fromUtf8(it.nextSync()![0])).toBe(key(10));
    it.close();
    const rev = db.iterator({ reverse: true });
    rev.seek(`${key(9)}a`);
    expect(fromUtf8(rev.nextSync()![0])).toBe(key(9));
    expect(fromUtf8(rev.nextSync()![0])).toBe(key(8));
    rev.close();
    expect([...db.keys({ limit: 2 })].map(fromUtf8)).toEqual([key(0), key(1)]);
    const values: string[] = [];
    for await (const v of db.values({ gte: key(18) })) values.push(fromUtf8(v));
    expect(values).toEqual([value(18), value(19)]);
    const entries: string[] = [];
    for await (const [k] of db.iterator({ lt: key(2) })) entries.push(fromUtf8(k));
    expect(entries).toEqual([key(0), key(1)]);
    expect(db.stats().openIterators).toBe(0);
    await db.close();
  });

  it('can seek again after reaching the end with nextSync, and offers nextv and all', async () => {
    const { db } = await filled(10);
    const it = db.iterator();
    expect(it.nextv(4).map((e) => fromUtf8(e[0]))).toEqual([key(0), key(1), key(2), key(3)]);
    while (it.nextSync() !== undefined) {
      // drain
    }
    expect(it.nextSync()).toBeUndefined();
    it.seek(key(3));
    expect(fromUtf8(it.nextSync()![0])).toBe(key(3));
    expect(it.all().map((e) => fromUtf8(e[0]))).toEqual([4, 5, 6, 7, 8, 9].map(key));
    expect(it.isClosed).toBe(true);
    const limited = db.iterator({ limit: 2 });
    expect(limited.all().length).toBe(2);
    await db.close();
  });

  it('releases its view when a loop ends or breaks, and fails after close', async () => {
    const { db } = await filled(10);
    for (const _ of db.iterator()) break;
    for (const _ of db.iterator()) {
      // run to the end
    }
    expect(db.stats().openIterators).toBe(0);
    const open = db.iterator();
    open.nextSync();
    expect(db.stats().openIterators).toBe(1);
    await db.close();
    expect(thrown(() => open.nextSync()).code).toBe('CLOSED');
    expect((await rejection(open.next())).code).toBe('CLOSED');
  });
});
