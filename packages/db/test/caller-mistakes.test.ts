// Caller mistakes not covered elsewhere, each INVALID_ARGUMENT (CLOSED after close) before anything is
// applied; and iterator bounds given twice on one side, where the tighter bound wins.
import { describe, expect, it } from 'vitest';
import { dump, openMemory, rejection, thrown } from './helpers.js';

const any = <T>(v: unknown) => v as T;

describe('caller mistakes', () => {
  it('getMany takes an array; getSync, write and iterator options must be objects', async () => {
    const { db } = await openMemory();
    await db.put('a', '1');
    expect((await rejection(db.getMany(any('a')))).code).toBe('INVALID_ARGUMENT');
    // Read options that are not an object were ignored before (a caller mistake accepted silently).
    expect(thrown(() => db.getSync('a', any(7))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(db.get('a', any('snapshot')))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(db.getMany(['a'], any(7)))).code).toBe('INVALID_ARGUMENT');
    expect(db.getSync('a', any(null))).toBeDefined(); // null means no options, as for writes
    expect(thrown(() => db.iterator(any(7))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(db.write([{ type: 'put', key: 'b', value: '2' }], any('sync')))).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect((await rejection(db.compactRange(any('all')))).code).toBe('INVALID_ARGUMENT');
    expect(dump(db)).toEqual([['a', '1']]);
    await db.close();
  });

  it('a chained batch is written once; operations added after that fail its next write', async () => {
    const { db } = await openMemory();
    const batch = db.batch().put('a', '1');
    await batch.write();
    expect((await rejection(batch.write())).code).toBe('INVALID_ARGUMENT');
    batch.put('b', '2').del('a');
    const error = await rejection(batch.write());
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/already written/);
    expect(dump(db)).toEqual([['a', '1']]);
    await db.close();
  });

  it('flush and getMany after close fail with CLOSED', async () => {
    const { db } = await openMemory();
    await db.close();
    expect((await rejection(db.flush())).code).toBe('CLOSED');
    expect((await rejection(db.getMany(['a']))).code).toBe('CLOSED');
  });
});

describe('iterator bounds given twice on one side', () => {
  it('keeps the tighter of gt and gte, and of lt and lte (the exclusive one on a tie)', async () => {
    const { db } = await openMemory();
    for (const k of ['a', 'b', 'c', 'd', 'e']) await db.put(k, k);
    const keys = (options: Parameters<typeof db.iterator>[0]) => dump(db, options).map(([k]) => k);
    expect(keys({ gt: 'a', gte: 'c' })).toEqual(['c', 'd', 'e']);
    expect(keys({ gt: 'c', gte: 'a' })).toEqual(['d', 'e']);
    expect(keys({ gt: 'b', gte: 'b' })).toEqual(['c', 'd', 'e']);
    expect(keys({ lt: 'e', lte: 'b' })).toEqual(['a', 'b']);
    expect(keys({ lt: 'b', lte: 'd' })).toEqual(['a']);
    expect(keys({ lt: 'd', lte: 'd', reverse: true })).toEqual(['c', 'b', 'a']);
    await db.close();
  });
});
