import { FaultInjectionFileSystem, MemoryFileSystem, joinPath } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB, backup, listBackups, purgeOldBackups, restore } from '../src/index.js';
import { key, rejection, text, value } from './helpers.js';
import { prefixLength, writeStream } from './write-stream.js';

const OPTIONS = { memtableSize: 16 * 1024, blockSize: 256 };
const tables = (fs: MemoryFileSystem, dir: string) => fs.list(dir).filter((n) => n.endsWith('.sst'));

describe('backup and restore', () => {
  it('a backup taken during a stream of writes restores to a prefix of them', async () => {
    const fs = new MemoryFileSystem();
    const db = await DB.open('/db', { fs, ...OPTIONS });
    const stream = writeStream(db);
    await stream.reach(600);
    const before = stream.acked;
    const made = await backup(db, '/backups');
    const after = stream.acked;
    await stream.reach(after + 200);
    await stream.stop();
    await db.close();
    expect(made.id).toBe(1);
    await restore('/backups', 1, '/restored', { fs });
    const copy = await DB.open('/restored', { fs });
    const n = prefixLength(copy, stream.acked + 5);
    expect(n).toBeGreaterThanOrEqual(before);
    expect(n).toBeLessThanOrEqual(after + 1);
    await copy.close();
  });

  it('is incremental: a second backup copies only the tables the first lacks', async () => {
    const fs = new MemoryFileSystem();
    const db = await DB.open('/db', { fs, ...OPTIONS });
    for (let i = 0; i < 500; i++) await db.put(key(i), value(i, 1, 200));
    await db.flush();
    const first = await backup(db, '/backups');
    expect(first.filesCopied).toBe(first.files.length);
    for (let i = 500; i < 700; i++) await db.put(key(i), value(i, 2, 200));
    await db.flush();
    const second = await backup(db, '/backups');
    const before = new Set(first.files.map((f) => f.stored));
    const secondTables = second.files.filter((f) => f.name.endsWith('.sst'));
    const shared = secondTables.filter((f) => before.has(f.stored));
    const fresh = second.files.filter((f) => !before.has(f.stored));
    expect(shared.length).toBeGreaterThan(0);
    expect(fresh.some((f) => f.name.endsWith('.sst'))).toBe(true);
    expect(second.filesCopied).toBe(fresh.length); // the new tables, the manifest, the logs, the marker
    expect(second.bytesCopied).toBe(fresh.reduce((sum, f) => sum + f.size, 0));
    expect(tables(fs, '/backups').length).toBe(
      new Set([...before, ...fresh.map((f) => f.stored)].filter((n) => n.endsWith('.sst'))).size,
    );
    expect(second.bytesCopied).toBeLessThan(first.bytesCopied);
    await db.put('after', 'the second backup');
    await db.close();
    const listed = await listBackups('/backups', { fs });
    expect(listed.map((b) => b.id)).toEqual([1, 2]);
    expect(listed[1].sequence).toBeGreaterThan(listed[0].sequence);
    // Each restores to its own moment.
    await restore('/backups', 1, '/one', { fs });
    await restore('/backups', 2, '/two', { fs });
    const one = await DB.open('/one', { fs });
    const two = await DB.open('/two', { fs });
    expect(text(one.getSync(key(499)))).toBe(value(499, 1, 200));
    expect(one.getSync(key(500))).toBeUndefined();
    expect(text(two.getSync(key(699)))).toBe(value(699, 2, 200));
    expect(two.getSync('after')).toBeUndefined();
    await one.close();
    await two.close();
  });

  it('purges old backups, keeping the files the newer ones share', async () => {
    const fs = new MemoryFileSystem();
    const db = await DB.open('/db', { fs, ...OPTIONS });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 200; i++) await db.put(key(round * 200 + i), value(i, round, 200));
      await db.flush();
      await backup(db, '/backups');
    }
    await db.close();
    expect((await rejection(purgeOldBackups('/backups', -1, { fs }))).code).toBe('INVALID_ARGUMENT');
    expect(await purgeOldBackups('/backups', 1, { fs })).toEqual([1, 2]);
    expect((await listBackups('/backups', { fs })).map((b) => b.id)).toEqual([3]);
    expect(fs.list('/backups').some((n) => n.startsWith('000001-'))).toBe(false);
    await restore('/backups', 3, '/latest', { fs });
    const latest = await DB.open('/latest', { fs });
    expect(text(latest.getSync(key(0)))).toBe(value(0, 0, 200)); // written before backup 1
    await latest.close();
    expect((await rejection(restore('/backups', 1, '/gone', { fs }))).code).toBe('NOT_FOUND');
    expect(await listBackups('/nowhere', { fs })).toEqual([]);
  });

  it('checks what it restores, and refuses a target that is not empty', async () => {
    const fs = new MemoryFileSystem();
    const db = await DB.open('/db', { fs, ...OPTIONS });
    for (let i = 0; i < 300; i++) await db.put(key(i), value(i, 0, 200));
    await db.flush();
    const made = await backup(db, '/backups');
    await db.close();
    expect((await rejection(restore('/backups', 1, '/db', { fs }))).code).toBe('ALREADY_EXISTS');
    const table = made.files.find((f) => f.name.endsWith('.sst'))!;
    fs.corrupt(joinPath('/backups', table.stored), 10, new Uint8Array([1, 2, 3]));
    expect((await rejection(restore('/backups', 1, '/bad', { fs }))).code).toBe('CORRUPTION');
    fs.remove(joinPath('/backups', table.stored));
    expect((await rejection(restore('/backups', 1, '/missing', { fs }))).code).toBe('CORRUPTION');
    fs.openWritable('/backups/BACKUP-000009.json').close();
    expect((await rejection(listBackups('/backups', { fs }))).code).toBe('CORRUPTION');
  });

  it('a backup cut short does not exist, and the next one takes its number', async () => {
    const memory = new MemoryFileSystem();
    const fs = new FaultInjectionFileSystem(memory);
    const db = await DB.open('/db', { fs, ...OPTIONS });
    for (let i = 0; i < 300; i++) await db.put(key(i), value(i, 0, 200));
    await db.flush();
    fs.arm({ operations: ['rename'], path: (p) => p.includes('BACKUP-'), mode: 'forever' });
    expect((await rejection(backup(db, '/backups'))).code).toBe('IO_ERROR');
    fs.reset();
    expect(await listBackups('/backups', { fs })).toEqual([]);
    const made = await backup(db, '/backups');
    expect(made.id).toBe(1);
    expect(memory.list('/backups').some((n) => n.endsWith('.dbtmp'))).toBe(false);
    const reader = await DB.open('/db', { fs: memory, readOnly: true });
    expect((await rejection(backup(reader, '/elsewhere'))).code).toBe('OPENED_READ_ONLY');
    await reader.close();
    await db.close();
    expect((await rejection(backup(db, '/backups'))).code).toBe('CLOSED');
  });
});
