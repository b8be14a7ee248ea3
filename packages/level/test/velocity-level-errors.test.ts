// How VelocityLevel reports Velocity's failures to Level users: the LEVEL_* code they branch on, with
// the Velocity error as `cause`; and clear() over more keys than one delete batch holds.
import { FaultInjectionFileSystem, MemoryFileSystem } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { VelocityLevel } from '../src/index.js';

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; cause?: { code?: string } }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; cause?: { code?: string } };
  }
  throw new Error('expected a rejection');
}

describe('VelocityLevel errors', () => {
  it('refuses a location that is not a non-empty string', () => {
    expect(() => new VelocityLevel('')).toThrow(TypeError);
    expect(() => new VelocityLevel(5 as unknown as string)).toThrow(TypeError);
  });

  it('db throws before open, and is the Velocity database once open', async () => {
    const level = new VelocityLevel('/db', { fs: new MemoryFileSystem(), passive: true });
    expect(() => level.db).toThrow(/not open/);
    await level.open();
    expect(level.db.getProperty('velocity.compaction-strategy')).toBe('leveled');
    await level.close();
    expect(() => level.db).toThrow(/not open/);
  });

  it('a directory that is not a database fails the open, with the Velocity error underneath', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/db');
    fs.openWritable('/db/photo.jpg').close();
    const level = new VelocityLevel('/db', { fs });
    const error = await rejection(level.open());
    expect(error.code).toBe('LEVEL_DATABASE_NOT_OPEN');
    const causes: (string | undefined)[] = [];
    for (let e: { code?: string; cause?: unknown } | undefined = error; e; e = e.cause as typeof e)
      causes.push(e.code);
    expect(causes).toContain('NOT_A_DATABASE');
  });

  it('a failed log write is LEVEL_IO_ERROR, and later writes LEVEL_READONLY; reads go on', async () => {
    const faulty = new FaultInjectionFileSystem(new MemoryFileSystem());
    const level = new VelocityLevel('/db', { fs: faulty });
    await level.open();
    await level.put('kept', 'yes');
    faulty.failAll('ENOSPC', ['append', 'flush', 'sync']);
    const failed = await rejection(level.put('lost', 'no'));
    expect(failed.code).toBe('LEVEL_IO_ERROR');
    expect(failed.cause?.code).toBe('IO_ERROR');
    faulty.reset();
    for (const write of [
      () => level.put('a', '1'),
      () => level.del('kept'),
      () => level.batch([{ type: 'put', key: 'b', value: '2' }]),
    ]) {
      const error = await rejection(write());
      expect(error.code).toBe('LEVEL_READONLY');
      expect(error.cause?.code).toBe('READ_ONLY');
    }
    expect(await level.get('kept')).toBe('yes');
    expect(await level.getMany(['kept', 'lost'])).toEqual(['yes', undefined]);
    expect(await level.keys().all()).toEqual(['kept']);
    await level.close();
  });
});

describe('VelocityLevel.clear', () => {
  it('deletes a range of more keys than one delete batch, and nothing outside it', async () => {
    const level = new VelocityLevel('/db', { fs: new MemoryFileSystem() });
    await level.open();
    const key = (i: number) => `k${String(i).padStart(5, '0')}`;
    await level.batch(
      Array.from({ length: 2600 }, (_, i) => ({ type: 'put' as const, key: key(i), value: 'v' })),
    );
    await level.clear({ gte: key(100), lt: key(2500) });
    const left = await level.keys().all();
    expect(left.length).toBe(200);
    expect(left[99]).toBe(key(99));
    expect(left[100]).toBe(key(2500));
    await level.close();
  });
});
