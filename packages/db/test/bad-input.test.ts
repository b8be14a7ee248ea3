import { describe, expect, it } from 'vitest';
import { MAX_KEY_SIZE, MAX_VALUE_SIZE } from '../src/index.js';
import { dump, openMemory, rejection, thrown } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: the point is to pass what the types forbid.
const any = (v: unknown) => v as any;

describe('bad input', () => {
  it('rejects non-bytes keys and values with INVALID_ARGUMENT', async () => {
    const { db } = await openMemory();
    for (const bad of [
      undefined,
      null,
      1,
      true,
      {},
      [],
      new Uint16Array(2),
      new ArrayBuffer(2),
      Symbol('s'),
    ]) {
      expect((await rejection(db.put(any(bad), 'v'))).code).toBe('INVALID_ARGUMENT');
      expect((await rejection(db.put('k', any(bad)))).code).toBe('INVALID_ARGUMENT');
      expect((await rejection(db.delete(any(bad)))).code).toBe('INVALID_ARGUMENT');
      expect((await rejection(db.get(any(bad)))).code).toBe('INVALID_ARGUMENT');
      expect(thrown(() => db.getSync(any(bad))).code).toBe('INVALID_ARGUMENT');
    }
    expect((await rejection(any(db).put('k'))).code).toBe('INVALID_ARGUMENT');
    expect(dump(db)).toEqual([]);
    await db.close();
  });

  it('applies nothing of a batch with a malformed operation', async () => {
    const { db } = await openMemory();
    const bad = [
      [
        { type: 'put', key: 'a', value: '1' },
        { type: 'put', key: 'b' },
      ],
      [
        { type: 'put', key: 'a', value: '1' },
        { type: 'nope', key: 'b' },
      ],
      [{ type: 'put', key: 'a', value: '1' }, null],
      [
        { type: 'put', key: 'a', value: '1' },
        { type: 'del', key: 5 },
      ],
      [
        { type: 'put', key: 'a', value: '1' },
        { type: 'put', key: 'b', value: new Uint8Array(MAX_VALUE_SIZE + 1) },
      ],
    ];
    for (const ops of bad) expect((await rejection(db.write(any(ops)))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(db.write(any('not an array')))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(db.batch().put('a', '1').put(any(2), 'x').write())).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect((await rejection(db.batch().put('a', '1').del(any(undefined)).write())).code).toBe(
      'INVALID_ARGUMENT',
    );
    // A good write issued in the same tick as a bad one is not affected.
    const [good, badWrite] = await Promise.allSettled([
      db.put('ok', '1'),
      db.write(any([{ type: 'put', key: 'x', value: '1' }, { type: 'put' }])),
    ]);
    expect(good.status).toBe('fulfilled');
    expect(badWrite.status).toBe('rejected');
    expect(dump(db)).toEqual([['ok', '1']]);
    await db.close();
  });

  it('rejects malformed options', async () => {
    const { db } = await openMemory();
    expect((await rejection(db.put('k', 'v', any({ sync: 'yes' })))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(db.put('k', 'v', any(5)))).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => db.iterator(any({ gt: 5 }))).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => db.iterator(any({ reverse: 'yes' }))).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => db.getSync('k', any({ snapshot: {} }))).code).toBe('INVALID_ARGUMENT');
    const { db: other } = await openMemory();
    const foreign = other.snapshot();
    expect(thrown(() => db.getSync('k', { snapshot: foreign })).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => db.iterator({ snapshot: foreign })).code).toBe('INVALID_ARGUMENT');
    await other.close();
    expect((await rejection(db.compactRange(any({ start: 1 })))).code).toBe('INVALID_ARGUMENT');
    await db.close();
    expect((await rejection(openMemory(any({ memtableSize: -1 })))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(openMemory(any({ createIfMissing: 'no' })))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(openMemory(any({ compaction: {} })))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(openMemory(any({ recoveryMode: 'whatever' })))).code).toBe('INVALID_ARGUMENT');
  });

  it('accepts 64 KiB keys and 16 MiB values, and rejects oversized ones', async () => {
    const { db, fs } = await openMemory();
    const bigKey = new Uint8Array(64 * 1024).fill(7);
    const bigValue = new Uint8Array(16 * 1024 * 1024).fill(9);
    await db.put(bigKey, bigValue);
    expect(db.getSync(bigKey)?.length).toBe(bigValue.length);
    await db.flush();
    expect(db.getSync(bigKey)?.[123]).toBe(9);
    expect((await rejection(db.put(new Uint8Array(MAX_KEY_SIZE + 1), 'v'))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(db.put('k', new Uint8Array(MAX_VALUE_SIZE + 1)))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(db.put('x'.repeat(MAX_KEY_SIZE + 1), 'v'))).code).toBe('INVALID_ARGUMENT');
    await db.close();
    const { db: again } = await openMemory({}, fs);
    expect(again.getSync(bigKey)?.length).toBe(bigValue.length);
    await again.close();
  });

  it('rejects every operation after close with CLOSED', async () => {
    const { db } = await openMemory();
    await db.put('k', 'v');
    await db.close();
    await db.close(); // twice is fine
    expect((await rejection(db.put('k', 'v'))).code).toBe('CLOSED');
    expect((await rejection(db.delete('k'))).code).toBe('CLOSED');
    expect((await rejection(db.write([]))).code).toBe('CLOSED');
    expect((await rejection(db.batch().put('a', 'b').write())).code).toBe('CLOSED');
    expect((await rejection(db.get('k'))).code).toBe('CLOSED');
    expect((await rejection(db.getMany(['k']))).code).toBe('CLOSED');
    expect((await rejection(db.flush())).code).toBe('CLOSED');
    expect((await rejection(db.compactRange())).code).toBe('CLOSED');
    expect(thrown(() => db.getSync('k')).code).toBe('CLOSED');
    expect(thrown(() => db.iterator()).code).toBe('CLOSED');
    expect(thrown(() => db.snapshot()).code).toBe('CLOSED');
    expect(thrown(() => db.stats()).code).toBe('CLOSED');
  });

  it('finishes writes queued before close', async () => {
    const { db, fs } = await openMemory();
    const writes = [db.put('a', '1'), db.put('b', '2')];
    const closing = db.close();
    await Promise.all(writes);
    await closing;
    const { db: again } = await openMemory({}, fs);
    expect(dump(again)).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    await again.close();
  });
});
