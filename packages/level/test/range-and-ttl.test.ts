// What VelocityLevel adds to abstract-level: clear() without a limit is one range deletion (one log
// record however many keys) with abstract-level's gt/gte/lt/lte semantics, clear() with a limit keeps
// its loop, sublevels clear only their own keys; put and batch pass ttl / expiresAt on.
import { FaultInjectionFileSystem, MemoryFileSystem } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { VelocityLevel } from '../src/index.js';

async function filled(n = 20, options: Record<string, unknown> = {}) {
  const level = new VelocityLevel<string, string>('/db', { fs: new MemoryFileSystem(), ...options });
  await level.open();
  await level.batch(
    Array.from({ length: n }, (_, i) => ({ type: 'put' as const, key: k(i), value: `v${i}` })),
  );
  return level;
}

const k = (i: number) => `k${String(i).padStart(5, '0')}`;
const records = (level: VelocityLevel<string, string>) => level.db.stats().writes.records;

describe('VelocityLevel clear()', () => {
  it('is one range deletion, honouring gt, gte, lt and lte', async () => {
    const cases: [Record<string, string>, number[]][] = [
      [{ gte: k(5), lt: k(10) }, [5, 6, 7, 8, 9]],
      [{ gt: k(5), lte: k(10) }, [6, 7, 8, 9, 10]],
      [{ gt: k(17) }, [18, 19]],
      [{ lte: k(2) }, [0, 1, 2]],
      [{}, Array.from({ length: 20 }, (_, i) => i)],
    ];
    for (const [range, gone] of cases) {
      const level = await filled();
      const before = records(level);
      await level.clear(range);
      expect(records(level) - before, JSON.stringify(range)).toBe(1);
      const left = await level.keys().all();
      expect(left).toEqual(
        Array.from({ length: 20 }, (_, i) => i)
          .filter((i) => !gone.includes(i))
          .map(k),
      );
      await level.close();
    }
  });

  it('writes nothing for an empty range or an empty database', async () => {
    const level = await filled(3);
    const before = records(level);
    await level.clear({ gt: k(1), lte: k(1) });
    await level.clear({ gte: k(2), lt: k(2) });
    await level.clear({ gt: 'z' });
    expect(records(level)).toBe(before);
    expect(await level.keys().all()).toEqual([k(0), k(1), k(2)]);
    await level.close();
  });

  it('with a limit deletes the first keys of the iteration order one by one', async () => {
    const level = await filled();
    await level.clear({ limit: 3, reverse: true });
    await level.clear({ gte: k(5), limit: 2 });
    const left = await level.keys().all();
    expect(left).toEqual([0, 1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16].map(k));
    await level.close();
  });

  it('with a limit above one delete batch deletes in batches', async () => {
    const level = await filled(2600);
    await level.clear({ gte: k(100), limit: 2400 });
    const left = await level.keys().all();
    expect(left.length).toBe(200);
    expect(left[100]).toBe(k(2500));
    await level.close();
  });

  it('reports a database that went read-only as LEVEL_READONLY, as a range and as a loop', async () => {
    const faulty = new FaultInjectionFileSystem(new MemoryFileSystem());
    const level = new VelocityLevel<string, string>('/db', { fs: faulty });
    await level.open();
    await level.put('a', '1');
    faulty.failAll('ENOSPC', ['append', 'flush', 'sync']);
    await level.put('b', '2').catch(() => {});
    faulty.reset();
    for (const options of [{}, { limit: 5 }]) {
      const error = await level.clear(options).then(
        () => undefined,
        (e: { code?: string }) => e,
      );
      expect(error?.code, JSON.stringify(options)).toBe('LEVEL_READONLY');
    }
    expect(await level.keys().all()).toEqual(['a']);
    await level.close();
  });

  it('in a sublevel clears only the sublevel', async () => {
    const level = await filled(5);
    const sub = level.sublevel<string, string>('s', {});
    await sub.batch([
      { type: 'put', key: 'a', value: '1' },
      { type: 'put', key: 'b', value: '2' },
    ]);
    await sub.clear();
    expect(await sub.keys().all()).toEqual([]);
    expect((await level.keys().all()).length).toBe(5);
    await level.close();
  });
});

describe('VelocityLevel time to live', () => {
  it('passes ttl and expiresAt of put and batch on to Velocity', async () => {
    const clock = { now: 1_000_000 };
    const level = new VelocityLevel<string, string>('/db', {
      fs: new MemoryFileSystem(),
      clock: () => clock.now,
    });
    await level.open();
    await level.put('a', '1', { ttl: 100 } as object);
    await level.put('b', '2', { expiresAt: clock.now + 50 } as object);
    await level.batch([
      { type: 'put', key: 'c', value: '3', ttl: 200 } as never,
      { type: 'put', key: 'd', value: '4' },
    ]);
    const chained = level.batch();
    chained.put('e', '5', { ttl: 10 } as object);
    await chained.write();
    expect(await level.keys().all()).toEqual(['a', 'b', 'c', 'd', 'e']);
    clock.now += 60;
    expect(await level.keys().all()).toEqual(['a', 'c', 'd']);
    expect(await level.get('b')).toBeUndefined();
    clock.now += 100;
    expect(await level.keys().all()).toEqual(['c', 'd']);
    clock.now += 100;
    expect(await level.keys().all()).toEqual(['d']);
    await level.close();
  });

  it('takes a database-wide defaultTtl', async () => {
    const clock = { now: 5_000 };
    const level = new VelocityLevel<string, string>('/db', {
      fs: new MemoryFileSystem(),
      clock: () => clock.now,
      defaultTtl: 10,
    });
    await level.open();
    await level.put('a', '1');
    clock.now += 10;
    expect(await level.get('a')).toBeUndefined();
    await level.close();
  });
});
