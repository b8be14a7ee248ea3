// Regression tests for the five defects that fault testing found (issue #15). Each `describe` is named
// after the defect it pins; every test failed before its fix.
import { FaultInjectionFileSystem, MemoryFileSystem } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB, type DBOptions } from '../src/index.js';
import { key, openMemory, rejection, text, thrown, useTempDirs, value } from './helpers.js';

const TABLES: DBOptions = { memtableSize: 16 * 1024, blockSize: 256, compactionThread: 'main' };

const tempDir = useTempDirs('velocity-defects-');

/** A database with several level-0 and level-1 tables holding `n` keys (on disk for the worker). */
async function withTables(options: DBOptions, n = 3000) {
  const { db, fs } =
    options.compactionThread === 'worker'
      ? { db: await DB.open(tempDir(), { ...TABLES, ...options }), fs: new MemoryFileSystem() }
      : await openMemory({ ...TABLES, ...options });
  for (let i = 0; i < n; i += 500) {
    await db.write(
      Array.from({ length: 500 }, (_, j) => ({ type: 'put' as const, key: key(i + j), value: value(i + j) })),
    );
    await db.flush();
  }
  return { db, fs };
}

async function expectAll(db: DB, n: number) {
  for (let i = 0; i < n; i++) expect(text(db.getSync(key(i)))).toBe(value(i));
}

describe('defect 1: overlapping compactRange calls put the database into its error state', () => {
  for (const thread of ['main', 'worker'] as const) {
    it(`queues two overlapping compactRange() calls (merges on the ${thread} thread)`, async () => {
      const { db } = await withTables({ compactionThread: thread });
      await Promise.all([db.compactRange(), db.compactRange()]);
      await db.put('after', 'x'); // not read-only
      expect(db.stats().readOnly).toBe(false);
      await expectAll(db, 3000);
      await db.close();
    });

    it(`queues disjoint ranges and compactRange() beside flush() (merges on the ${thread} thread)`, async () => {
      const { db } = await withTables({ compactionThread: thread });
      await db.put(key(10), value(10));
      await Promise.all([
        db.compactRange({ start: key(0), end: key(999) }),
        db.compactRange({ start: key(2000), end: key(2999) }),
        db.flush(),
        db.compactRange(),
      ]);
      await db.put('after', 'x');
      expect(db.stats().readOnly).toBe(false);
      await expectAll(db, 3000);
      await db.close();
    });
  }
});

/** Cuts `bytes` off the end of the manifest that CURRENT names. */
function cutManifest(fs: MemoryFileSystem, bytes: number): void {
  const name = new TextDecoder().decode(fs.readFile('/db/CURRENT')).trim();
  const data = fs.readFile(`/db/${name}`);
  const file = fs.openWritable(`/db/${name}`);
  file.append(data.subarray(0, data.length - bytes));
  file.sync();
  file.close();
}

describe('defect 2: a MANIFEST that loses its fsynced tail loses flushed data silently', () => {
  it('refuses the open with CORRUPTION and deletes no table file', async () => {
    const { db, fs } = await openMemory({ compactionThread: 'main' });
    await db.put('k', 'flushed');
    await db.flush(); // the edit naming the table is fsynced and the old log deleted
    await db.close();
    cutManifest(fs, 3);
    const before = fs.list('/db').filter((n) => n.endsWith('.sst'));
    expect(before.length).toBe(1);
    const error = await rejection(DB.open('/db', { fs }));
    expect(error.code).toBe('CORRUPTION');
    expect(error.message).toMatch(/log/);
    expect(fs.list('/db').filter((n) => n.endsWith('.sst'))).toEqual(before);
  });

  it('opens with the loss accepted under skip-any-corrupted', async () => {
    const { db, fs } = await openMemory({ compactionThread: 'main' });
    await db.put('k', 'flushed');
    await db.flush();
    await db.close();
    cutManifest(fs, 3);
    const again = await DB.open('/db', { fs, recoveryMode: 'skip-any-corrupted' });
    await again.put('new', 'x');
    await again.close();
  });

  it('refuses a database whose log named by the manifest was deleted', async () => {
    const { db, fs } = await openMemory({ compactionThread: 'main' });
    await db.put('k', 'in the log');
    await db.close();
    for (const name of fs.list('/db')) if (name.endsWith('.log')) fs.remove(`/db/${name}`);
    expect((await rejection(DB.open('/db', { fs }))).code).toBe('CORRUPTION');
  });
});

describe('defect 3: table files are never checked against the manifest', () => {
  it('answers CORRUPTION, not undefined, after two table files were swapped', async () => {
    const { db, fs } = await withTables({});
    await db.close();
    const tables = fs.list('/db').filter((n) => n.endsWith('.sst'));
    expect(tables.length).toBeGreaterThan(1);
    const [a, b] = [tables[0], tables[tables.length - 1]];
    const bytesA = fs.readFile(`/db/${a}`);
    const bytesB = fs.readFile(`/db/${b}`);
    for (const [name, bytes] of [
      [a, bytesB],
      [b, bytesA],
    ] as const) {
      const f = fs.openWritable(`/db/${name}`);
      f.append(bytes);
      f.sync();
      f.close();
    }
    const again = await DB.open('/db', { fs, compactionThread: 'main' });
    const codes = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      try {
        expect(text(again.getSync(key(i)))).toBe(value(i));
      } catch (error) {
        codes.add((error as { code?: string }).code ?? String(error));
      }
    }
    expect([...codes]).toEqual(['CORRUPTION']);
    await again.close().catch(() => {});
  });

  it('answers CORRUPTION for a table copied over another of the same size', async () => {
    const { db, fs } = await openMemory({ compactionThread: 'main' });
    await db.put('a', '1');
    await db.flush();
    await db.put('b', '2');
    await db.flush();
    await db.close();
    const [first, second] = fs.list('/db').filter((n) => n.endsWith('.sst'));
    expect(fs.size(`/db/${first}`)).toBe(fs.size(`/db/${second}`));
    const copy = fs.openWritable(`/db/${second}`);
    copy.append(fs.readFile(`/db/${first}`));
    copy.sync();
    copy.close();
    const again = await DB.open('/db', { fs, compactionThread: 'main' });
    expect(thrown(() => again.getSync('b')).code).toBe('CORRUPTION');
    await again.close().catch(() => {});
  });
});

describe('defect 4: a write rejected with IO_ERROR can reappear after close() and reopen', () => {
  for (const operation of ['append', 'flush'] as const) {
    it(`a write whose log ${operation} failed is not there after reopen`, async () => {
      const fs = new FaultInjectionFileSystem(new MemoryFileSystem());
      const db = await DB.open('/db', { fs, compactionThread: 'main' });
      await db.put('before', 'kept');
      fs.arm({ operations: [operation], path: (p) => p.endsWith('.log'), mode: 'once' });
      expect((await rejection(db.put('rejected', 'x'))).code).toBe('IO_ERROR');
      fs.reset();
      await db.close();
      const again = await DB.open('/db', { fs });
      expect(text(again.getSync('before'))).toBe('kept');
      expect(again.getSync('rejected')).toBeUndefined();
      await again.close();
    });
  }
});

describe('defect 5: some caller mistakes get the wrong error code', () => {
  function detached(): Uint8Array {
    const bytes = new Uint8Array(8);
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    return bytes;
  }

  it('a Uint8Array over a detached ArrayBuffer is INVALID_ARGUMENT everywhere', async () => {
    const { db } = await openMemory();
    const bad = detached();
    for (const p of [
      db.put(bad, 'v'),
      db.put('k', bad),
      db.get(bad),
      db.delete(bad),
      db.write([{ type: 'put', key: bad, value: 'v' }]),
      db.getMany([bad]),
    ]) {
      expect((await rejection(p)).code).toBe('INVALID_ARGUMENT');
    }
    expect(thrown(() => db.getSync(bad)).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => db.iterator({ gte: bad })).code).toBe('INVALID_ARGUMENT');
    const it = db.iterator();
    expect(thrown(() => it.seek(bad)).code).toBe('INVALID_ARGUMENT');
    it.close();
    expect(db.getSync('k')).toBeUndefined(); // nothing was applied
    await db.close();
  });

  it('a batch operation that is a throwing Proxy is INVALID_ARGUMENT and applies nothing', async () => {
    const { db } = await openMemory();
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const ops = [{ type: 'put', key: 'first', value: 'x' }, trap] as never;
    expect((await rejection(db.write(ops))).code).toBe('INVALID_ARGUMENT');
    expect(db.getSync('first')).toBeUndefined();
    await db.close();
  });

  it('iterator limits and nextv sizes must be integers', async () => {
    const { db } = await openMemory();
    await db.write([
      { type: 'put', key: 'a', value: '1' },
      { type: 'put', key: 'b', value: '2' },
      { type: 'put', key: 'c', value: '3' },
    ]);
    for (const limit of [Symbol(), 1.5, '2', Number.NaN]) {
      expect(thrown(() => db.iterator({ limit } as never)).code).toBe('INVALID_ARGUMENT');
    }
    expect(db.iterator({ limit: -1 }).nextv(10).length).toBe(3);
    const it = db.iterator();
    for (const size of [Symbol(), undefined, 'x', 1.5, Number.NaN, -1]) {
      expect(thrown(() => it.nextv(size as never)).code).toBe('INVALID_ARGUMENT');
    }
    expect(it.nextv(2).length).toBe(2);
    it.close();
    await db.close();
  });

  it('on() and off() take a known event name and a function', async () => {
    const { db } = await openMemory();
    expect(thrown(() => db.on('flush', 'not a function' as never)).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => db.on('nope' as never, () => {})).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => db.off('flush', 42 as never)).code).toBe('INVALID_ARGUMENT');
    await db.close();
  });
});
