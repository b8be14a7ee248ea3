// DB.open checks every option before touching the directory: each malformed one is INVALID_ARGUMENT
// naming the option, and nothing is created.
import { MemoryFileSystem, bytewiseComparator } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB, type DBOptions, DEFAULT_MEMTABLE_SIZE, DEFAULT_MEMTABLE_SIZE_OTHER } from '../src/index.js';
import { resolveOptions } from '../src/options.js';
import { rejection } from './helpers.js';

const any = (v: unknown) => v as DBOptions;

describe('DB.open option checks', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a comparator without its methods', { comparator: { name: 'x', compare: () => 0 } }, /comparator/],
    ['a comparator without a name', { comparator: { ...bytewiseComparator, name: '' } }, /name/],
    ['a block cache without its methods', { blockCache: { get() {} } }, /blockCache/],
    ['a block cache that is not an object', { blockCache: 5 }, /blockCache/],
    ['a filter policy without its methods', { filterPolicy: { createFilter() {} } }, /filterPolicy/],
    ['a codec without decompress', { compression: { compress: (b: Uint8Array) => b } }, /compression/],
    ['a memtable factory that is not a function', { memtableFactory: {} }, /memtableFactory/],
    ['an unknown compaction thread mode', { compactionThread: 'sometimes' }, /compactionThread/],
    ['maxOpenFiles below 8', { maxOpenFiles: 2 }, /maxOpenFiles/],
    ['a fractional blockSize', { blockSize: 100.5 }, /blockSize/],
  ];
  for (const [what, options, message] of cases) {
    it(`refuses ${what}, creating nothing`, async () => {
      const fs = new MemoryFileSystem();
      const error = await rejection(DB.open('/db', any({ fs, ...(options as object) })));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(message);
      expect(fs.exists('/db')).toBe(false);
    });
  }

  it('refuses a location that is not a non-empty string, and options that are not an object', async () => {
    for (const location of ['', 5, undefined]) {
      expect((await rejection(DB.open(location as string, { fs: new MemoryFileSystem() }))).code).toBe(
        'INVALID_ARGUMENT',
      );
    }
    for (const options of [null, 'fast', 3]) {
      expect((await rejection(DB.open('/db', any(options)))).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('opens the same database whether or not the location ends with a slash', async () => {
    const fs = new MemoryFileSystem();
    const db = await DB.open('/db/', { fs });
    await db.put('k', 'v');
    await db.close();
    expect(fs.list('/').includes('db')).toBe(true);
    const again = await DB.open('/db', { fs, createIfMissing: false });
    expect(again.getSync('k')).toEqual(new TextEncoder().encode('v'));
    await again.close();
  });
});

describe('the default memtable size', () => {
  it('is 16 MiB on Node and 4 MiB where there is no Node process (a browser)', () => {
    const fs = new MemoryFileSystem();
    expect(resolveOptions({}, fs).memtableSize).toBe(DEFAULT_MEMTABLE_SIZE);
    expect(DEFAULT_MEMTABLE_SIZE).toBe(16 * 1024 * 1024);
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'process') as PropertyDescriptor;
    Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true, writable: true });
    try {
      expect(resolveOptions({}, fs).memtableSize).toBe(DEFAULT_MEMTABLE_SIZE_OTHER);
    } finally {
      Object.defineProperty(globalThis, 'process', saved);
    }
    expect(DEFAULT_MEMTABLE_SIZE_OTHER).toBe(4 * 1024 * 1024);
    expect(resolveOptions({ memtableSize: 1 << 20 }, fs).memtableSize).toBe(1 << 20);
  });
});
