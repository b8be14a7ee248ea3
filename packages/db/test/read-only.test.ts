import { type FaultOperation, FaultInjectionFileSystem, MemoryFileSystem } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { type BackgroundErrorEvent, DB } from '../src/index.js';
import { dump, key, rejection, text, value } from './helpers.js';

async function setup() {
  const fs = new FaultInjectionFileSystem(new MemoryFileSystem());
  const db = await DB.open('/db', { fs, memtableSize: 16 * 1024 });
  for (let i = 0; i < 50; i++) await db.put(key(i), value(i));
  return { fs, db };
}

const on = (pattern: RegExp) => (path: string) => pattern.test(path);

async function expectReadOnlyThenRecovers(fs: FaultInjectionFileSystem, db: DB) {
  // Later writes fail with READ_ONLY, carrying the cause.
  const later = await rejection(db.put('after', 'x'));
  expect(later.code).toBe('READ_ONLY');
  expect((later.cause as { code?: string }).code).toBe('IO_ERROR');
  expect((await rejection(db.write([{ type: 'put', key: 'a', value: 'b' }]))).code).toBe('READ_ONLY');
  expect((await rejection(db.batch().put('a', 'b').write())).code).toBe('READ_ONLY');
  expect((await rejection(db.delete('a'))).code).toBe('READ_ONLY');
  expect((await rejection(db.flush())).code).toBe('READ_ONLY');
  expect(db.stats().readOnly).toBe(true);
  // Reads keep working.
  for (let i = 0; i < 50; i++) expect(text(db.getSync(key(i)))).toBe(value(i));
  expect(dump(db, { lt: key(50) }).length).toBe(50);
  fs.reset();
  await db.close();
  const again = await DB.open('/db', { fs });
  for (let i = 0; i < 50; i++) expect(text(again.getSync(key(i)))).toBe(value(i));
  await again.put('after', 'x');
  await again.close();
}

describe('read-only mode after an I/O error', () => {
  for (const [op, sync] of [
    ['append', false],
    ['flush', false],
    ['sync', true],
  ] as [FaultOperation, boolean][]) {
    it(`fails the writes and goes read-only when the log ${op} fails`, async () => {
      const { fs, db } = await setup();
      const errors: BackgroundErrorEvent[] = [];
      db.on('error', (e) => errors.push(e));
      fs.arm({ operations: [op], path: on(/\.log$/), mode: 'forever' });
      const results = await Promise.allSettled([db.put('x', '1', { sync }), db.put('y', '2', { sync })]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(((results[0] as PromiseRejectedResult).reason as { code: string }).code).toBe('IO_ERROR');
      expect(errors.length).toBe(1);
      expect(db.getSync('x')).toBeUndefined();
      await expectReadOnlyThenRecovers(fs, db);
    });
  }

  it('goes read-only when a flush cannot write its table', async () => {
    const { fs, db } = await setup();
    fs.arm({ operations: ['append', 'flush'], path: on(/\.sst$/), mode: 'forever', errno: 'ENOSPC' });
    const error = await rejection(db.flush());
    expect(error.code).toBe('READ_ONLY');
    expect((error.cause as { errno?: string }).errno).toBe('ENOSPC');
    await expectReadOnlyThenRecovers(fs, db);
  });

  it('goes read-only when the manifest cannot be written', async () => {
    const { fs, db } = await setup();
    fs.arm({ operations: ['sync'], path: on(/MANIFEST/), mode: 'forever' });
    await rejection(db.flush());
    await expectReadOnlyThenRecovers(fs, db);
  });

  it('goes read-only when a compaction fails', async () => {
    const { fs, db } = await setup();
    await db.flush();
    for (let i = 0; i < 50; i++) await db.put(key(i), value(i));
    await db.flush(); // two overlapping level-0 tables: the compaction must merge them
    fs.arm({ operations: ['append', 'flush', 'sync'], path: on(/\.sst$/), mode: 'forever' });
    await rejection(db.compactRange());
    await expectReadOnlyThenRecovers(fs, db);
  });

  it('goes read-only when a new log cannot be created', async () => {
    const { fs, db } = await setup();
    fs.arm({ operations: ['openWritable'], path: on(/\.log$/), mode: 'forever' });
    await rejection(db.flush());
    await expectReadOnlyThenRecovers(fs, db);
  });

  it('never loses an acknowledged write, whichever write-path call fails', async () => {
    const workload = async (db: DB, acked: Map<string, string>) => {
      for (let i = 0; i < 120; i++) {
        try {
          if (i % 10 === 9) await db.delete(key(i - 5));
          else await db.put(key(i), value(i, 0, 300), { sync: i % 3 === 0 });
          if (i % 10 === 9) acked.delete(key(i - 5));
          else acked.set(key(i), value(i, 0, 300));
        } catch {
          return;
        }
        if (i === 60) await db.compactRange().catch(() => {});
      }
    };
    // Count the write-path calls of one clean run.
    const probe = new FaultInjectionFileSystem(new MemoryFileSystem());
    const probeDb = await DB.open('/db', { fs: probe, memtableSize: 8 * 1024 });
    probe.reset();
    await workload(probeDb, new Map());
    const calls = probe.calls;
    await probeDb.close();
    expect(calls).toBeGreaterThan(50);
    for (let nth = 1; nth <= calls; nth += Math.max(1, Math.floor(calls / 60))) {
      const inner = new MemoryFileSystem();
      const fs = new FaultInjectionFileSystem(inner);
      const db = await DB.open('/db', { fs, memtableSize: 8 * 1024 });
      fs.arm({ nth, mode: 'forever' });
      const acked = new Map<string, string>();
      await workload(db, acked);
      await db.close().catch(() => {});
      fs.reset();
      const survivor = inner.kill();
      const again = await DB.open('/db', { fs: survivor });
      for (const [k, v] of acked) expect(text(again.getSync(k)), `nth=${nth} key ${k}`).toBe(v);
      await again.close();
    }
  });
});
