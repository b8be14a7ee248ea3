// Iterator edge cases: what each call does after close (by the caller or by db.close()), seeks on a
// closed iterator, ending the protocol iterators early, and reverse seeks with bounds and limits.
import { describe, expect, it } from 'vitest';
import { dump, key, openMemory, text, value } from './helpers.js';

describe('iterator edge cases', () => {
  it('after close(): nextSync, next and seek fail with CLOSED; close and loops end quietly', async () => {
    const { db } = await openMemory();
    await db.put('a', '1');
    const iterator = db.iterator();
    iterator.close();
    iterator.close();
    expect(iterator.isClosed).toBe(true);
    expect(() => iterator.nextSync()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => iterator.seek('a')).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    await expect(iterator.next()).rejects.toMatchObject({ code: 'CLOSED' });
    expect([...iterator]).toEqual([]); // a closed iterator iterates nothing
    await db.close();
  });

  it('after db.close(): every call fails with the CLOSED error of the database, loops too', async () => {
    const { db } = await openMemory();
    await db.put('a', '1');
    await db.put('b', '2');
    const iterator = db.iterator();
    expect(text(iterator.nextSync()?.[1])).toBe('1');
    await db.close();
    expect(iterator.isClosed).toBe(true);
    expect(() => iterator.nextSync()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => iterator.seek('a')).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => [...iterator]).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('seeks in reverse to the last key <= target, within bounds, counting toward the limit', async () => {
    const { db } = await openMemory({ memtableSize: 64 * 1024, blockSize: 256 });
    for (let i = 0; i < 300; i++) await db.put(key(i), value(i));
    await db.flush();
    for (let i = 0; i < 300; i += 2) await db.delete(key(i)); // even keys deleted, in the memtable
    const iterator = db.iterator({ reverse: true, gte: key(100), lt: key(200), limit: 3 });
    iterator.seek(key(150)); // deleted: the next entry is the last live key below it
    expect(iterator.nextv(2).map(([k]) => text(k))).toEqual([key(149), key(147)]);
    iterator.seek(key(250)); // past the upper bound: start at the last key inside it
    expect(iterator.nextv(5).map(([k]) => text(k))).toEqual([key(199)]); // the limit of 3 is reached
    expect(iterator.nextSync()).toBeUndefined();
    iterator.close();
    await db.close();
  });

  it('after the end, a forward iterator stays at the end until it seeks again', async () => {
    const { db } = await openMemory();
    for (const k of ['a', 'b', 'c']) await db.put(k, k);
    const iterator = db.iterator({ gt: 'a' });
    expect(iterator.nextv(10).length).toBe(2);
    expect(iterator.nextSync()).toBeUndefined();
    expect(iterator.nextSync()).toBeUndefined();
    iterator.seek('a'); // below the lower bound: starts at the first key inside it
    expect(text(iterator.nextSync()?.[0])).toBe('b');
    iterator.close();
    expect(dump(db, { lte: 'b', reverse: true })).toEqual([
      ['b', 'b'],
      ['a', 'a'],
    ]);
    await db.close();
  });

  it('breaking out of keys() and values() loops closes the iterator', async () => {
    const { db } = await openMemory();
    for (const k of ['a', 'b', 'c']) await db.put(k, `${k}!`);
    const keysIterator = db.iterator();
    for (const k of keysIterator.keys()) {
      expect(text(k)).toBe('a');
      break;
    }
    expect(keysIterator.isClosed).toBe(true);
    const valuesIterator = db.iterator({ reverse: true });
    for await (const v of valuesIterator.values()) {
      expect(text(v)).toBe('c!');
      break;
    }
    expect(valuesIterator.isClosed).toBe(true);
    expect(db.getProperty('velocity.num-open-iterators')).toBe('0');
    await db.close();
  });
});
