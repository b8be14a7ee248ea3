import { describe, expect, it } from 'vitest';
import { type BackgroundErrorEvent, DB } from '../src/index.js';
import { type FaultOp, FaultyFileSystem } from './faulty-fs.js';
import { dump, key, rejection, text, value } from './helpers.js';

async function setup() {
  const fs = new FaultyFileSystem();
  const db = await DB.open('/db', { fs, memtableSize: 16 * 1024 });
  for (let i = 0; i < 50; i++) await db.put(key(i), value(i));
  return { fs, db };
}

async function expectReadOnlyThenRecovers(fs: FaultyFileSystem, db: DB, failed: unknown[]) {
  expect(failed.length).toBeGreaterThan(0);
  // Later writes fail with READ_ONLY, carrying the cause.
  const later = await rejection(db.put('after', 'x'));
  expect(later.code).toBe('READ_ONLY');
  expect((later.cause as { code?: string }).code).toBe('IO_ERROR');
  expect((await rejection(db.write([{ type: 'put', key: 'a', value: 'b' }]))).code).toBe('READ_ONLY');
  expect((await rejection(db.flush())).code).toBe('READ_ONLY');
  expect(db.stats().readOnly).toBe(true);
  // Reads keep working.
  for (let i = 0; i < 50; i++) expect(text(db.getSync(key(i)))).toBe(value(i));
  expect(dump(db, { lt: key(50) }).length).toBe(50);
  fs.disarm();
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
  ] as [FaultOp, boolean][]) {
    it(`fails the write and goes read-only when the log ${op} fails`, async () => {
      const { fs, db } = await setup();
      const errors: BackgroundErrorEvent[] = [];
      db.on('error', (e) => errors.push(e));
      fs.arm(op, /\.log$/);
      const failed: unknown[] = [];
      const results = await Promise.allSettled([db.put('x', '1', { sync }), db.put('y', '2', { sync })]);
      for (const r of results) if (r.status === 'rejected') failed.push(r.reason);
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      expect((failed[0] as { code: string }).code).toBe('IO_ERROR');
      expect(errors.length).toBe(1);
      expect(db.getSync('x')).toBeUndefined();
      await expectReadOnlyThenRecovers(fs, db, failed);
    });
  }

  it('goes read-only when a flush cannot write its table', async () => {
    const { fs, db } = await setup();
    fs.arm('append', /\.sst$/);
    const failed = [await rejection(db.flush())];
    await expectReadOnlyThenRecovers(fs, db, failed);
  });

  it('goes read-only when the manifest cannot be written', async () => {
    const { fs, db } = await setup();
    fs.arm('sync', /MANIFEST/);
    const failed = [await rejection(db.flush())];
    await expectReadOnlyThenRecovers(fs, db, failed);
  });

  it('goes read-only when a compaction fails', async () => {
    const { fs, db } = await setup();
    await db.flush();
    fs.arm('append', /\.sst$/);
    const failed = [await rejection(db.compactRange())];
    await expectReadOnlyThenRecovers(fs, db, failed);
  });

  it('goes read-only when a new log cannot be created', async () => {
    const { fs, db } = await setup();
    fs.arm('openWritable', /\.log$/);
    const failed = [await rejection(db.flush())];
    await expectReadOnlyThenRecovers(fs, db, failed);
  });
});
