import {
  type FaultOperation,
  FaultInjectionFileSystem,
  type FileSystem,
  MemoryFileSystem,
  type RandomAccessFile,
  bytewiseComparator,
  joinPath,
  utf8,
  WRITE_OPERATIONS,
} from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';
import { FORMAT_VERSION, writeFormatMarker } from '../src/format-marker.js';
import { PinnedFiles } from '../src/pinned-files.js';
import { SMALL, dump, key, rejection, text, thrown, value } from './helpers.js';

/** Every call that could change the directory. */
const MUTATING: FaultOperation[] = [...WRITE_OPERATIONS, 'lock'];

/** A file system over `inner` that fails every mutating call (and counts the attempts). */
function refusingWrites(inner: FileSystem): FaultInjectionFileSystem {
  const guard = new FaultInjectionFileSystem(inner);
  guard.failAll('EROFS', MUTATING);
  return guard;
}

/** Every file of `dir` with its bytes. */
function snapshotDir(fs: MemoryFileSystem, dir = '/db'): Map<string, string> {
  return new Map(fs.list(dir).map((n) => [n, Buffer.from(fs.readFile(joinPath(dir, n))).toString('hex')]));
}

async function writer(fs: MemoryFileSystem, options = {}) {
  const db = await DB.open('/db', { fs, ...SMALL, ...options });
  for (let i = 0; i < 400; i++) await db.put(key(i), value(i, 0, 100));
  await db.flush();
  for (let i = 0; i < 100; i++) await db.put(key(i), value(i, 1, 100)); // some in the log only
  return db;
}

describe('DB.open with readOnly', () => {
  it('opens beside an open writer, calls nothing that writes, and sees the state as of its open', async () => {
    const fs = new MemoryFileSystem();
    const w = await writer(fs);
    const guard = refusingWrites(fs);
    const r = await DB.open('/db', { fs: guard, readOnly: true });
    expect(text(r.getSync(key(5)))).toBe(value(5, 1, 100));
    expect(text(r.getSync(key(300)))).toBe(value(300, 0, 100));
    expect(dump(r).length).toBe(400);
    await w.put(key(5), 'later');
    expect(text(r.getSync(key(5)))).toBe(value(5, 1, 100)); // as of its open
    await r.refresh();
    expect(text(r.getSync(key(5)))).toBe('later');
    await r.close();
    expect(guard.injected).toBe(0); // not one mutating call was even attempted
    await w.close();
  });

  it('refuses every write with OPENED_READ_ONLY, and changes no byte of the directory', async () => {
    const fs = new MemoryFileSystem();
    await (await writer(fs)).close();
    const before = snapshotDir(fs);
    const r = await DB.open('/db', { fs, readOnly: true });
    const refusals = [
      r.put('a', 'b'),
      r.delete(key(1)),
      r.del(key(1)),
      r.write([{ type: 'put', key: 'a', value: 'b' }]),
      r.batch().put('a', 'b').write(),
      r.flush(),
      r.compactRange(),
    ];
    for (const refusal of refusals) expect((await rejection(refusal)).code).toBe('OPENED_READ_ONLY');
    expect(text(r.getSync(key(1)))).toBe(value(1, 1, 100));
    const snapshot = r.snapshot();
    expect(r.getSync(key(2), { snapshot })).toBeDefined();
    snapshot.release();
    await r.refresh();
    await r.close();
    expect((await rejection(r.refresh())).code).toBe('CLOSED');
    expect(snapshotDir(fs)).toEqual(before);
  });

  it('serves several readers at once, each at its own point', async () => {
    const fs = new MemoryFileSystem();
    const w = await writer(fs);
    const first = await DB.open('/db', { fs, readOnly: true });
    await w.put('extra', '1');
    const second = await DB.open('/db', { fs, readOnly: true });
    expect(first.getSync('extra')).toBeUndefined();
    expect(text(second.getSync('extra'))).toBe('1');
    await first.refresh();
    expect(text(first.getSync('extra'))).toBe('1');
    await Promise.all([first.close(), second.close(), w.close()]);
  });

  it('keeps reading tables the writer deleted, and catches up after compactions and a new manifest', async () => {
    const fs = new MemoryFileSystem();
    const w = await writer(fs, { maxManifestSize: 1024 });
    const r = await DB.open('/db', { fs, readOnly: true });
    const tablesAtOpen = fs.list('/db').filter((n) => n.endsWith('.sst'));
    for (let round = 2; round < 5; round++) {
      for (let i = 0; i < 400; i += 3) await w.put(key(i), value(i, round, 100));
      await w.compactRange();
    }
    expect(fs.list('/db').filter((n) => tablesAtOpen.includes(n))).toEqual([]); // all deleted
    const it = r.iterator();
    expect(dump(r).length).toBe(400); // still readable: the reader holds them open
    expect(text(r.getSync(key(3)))).toBe(value(3, 1, 100));
    await r.refresh();
    expect(text(r.getSync(key(3)))).toBe(value(3, 4, 100));
    expect(text(r.getSync(key(301)))).toBe(value(301, 0, 100));
    expect([...it].length).toBe(400); // an iterator from before the refresh reads its own version
    // The writer closes and reopens: a new manifest and a new log.
    await w.close();
    const again = await DB.open('/db', { fs });
    await again.put('after-reopen', 'yes');
    await r.refresh();
    expect(text(r.getSync('after-reopen'))).toBe('yes');
    expect(dump(r).length).toBe(401);
    await r.close();
    await again.close();
  });

  it('refuses a missing database, a newer format and errorIfExists, and creates nothing', async () => {
    const fs = new MemoryFileSystem();
    expect((await rejection(DB.open('/nowhere', { fs, readOnly: true }))).code).toBe('NOT_FOUND');
    expect(fs.exists('/nowhere')).toBe(false);
    await (await writer(fs)).close();
    expect((await rejection(DB.open('/db', { fs, readOnly: true, errorIfExists: true }))).code).toBe(
      'ALREADY_EXISTS',
    );
    writeFormatMarker(fs, '/db', FORMAT_VERSION + 1);
    expect((await rejection(DB.open('/db', { fs, readOnly: true }))).code).toBe('FORMAT_VERSION');
  });

  it('gives up with CORRUPTION when the manifest names a missing table or log', async () => {
    const fs = new MemoryFileSystem();
    await (await writer(fs)).close();
    const [table] = fs.list('/db').filter((n) => n.endsWith('.sst'));
    const copy = fs.readFile(joinPath('/db', table)).slice();
    fs.remove(joinPath('/db', table));
    expect((await rejection(DB.open('/db', { fs, readOnly: true }))).code).toBe('CORRUPTION');
    const f = fs.openWritable(joinPath('/db', table));
    f.append(copy);
    f.close();
    for (const log of fs.list('/db').filter((n) => n.endsWith('.log'))) fs.remove(joinPath('/db', log));
    const error = await rejection(DB.open('/db', { fs, readOnly: true }));
    expect(error.code).toBe('CORRUPTION');
    expect(error.message).toContain('missing');
  });

  it('reads again when a log was read short while the writer went on to the next one', async () => {
    // Two logs after the manifest's log number: the writer switched logs, and its flush failed.
    const inner = new MemoryFileSystem();
    const faulty = new FaultInjectionFileSystem(inner);
    const w = await DB.open('/db', { fs: faulty, ...SMALL });
    faulty.arm({ operations: ['append'], path: (p) => p.endsWith('.sst'), mode: 'forever' });
    let acked = 0;
    for (let i = 0; i < 2000; i++) {
      try {
        await w.put(key(i), value(i, 0, 100));
        acked = i + 1;
      } catch {
        break;
      }
    }
    const logs = inner.list('/db').filter((n) => n.endsWith('.log'));
    expect(logs.length).toBeGreaterThanOrEqual(2);
    // The first read of the older log sees only half of it, as if the writer were still appending.
    let shortened = false;
    const shortReads: FileSystem = Object.create(inner, {
      openReadable: {
        value: (path: string): RandomAccessFile => {
          const file = inner.openReadable(path);
          if (shortened || !path.endsWith(logs[0])) return file;
          shortened = true;
          const size = Math.floor(file.size / 2);
          return {
            path,
            size,
            read: (o, n) => file.read(o, Math.min(n, size - o)),
            close: () => file.close(),
          };
        },
      },
    });
    const r = await DB.open('/db', { fs: shortReads, readOnly: true });
    expect(shortened).toBe(true);
    expect(dump(r).length).toBe(acked);
    await r.close();
    await w.close().catch(() => {});
  });
});

describe('read-only open: what it does not retry, and what it does', () => {
  it('fails at once for a comparator other than the recorded one, and for an I/O error', async () => {
    const fs = new MemoryFileSystem();
    await (await writer(fs)).close();
    const reversed = {
      ...bytewiseComparator,
      name: 'reversed',
      compare: (a: Uint8Array, b: Uint8Array) => bytewiseComparator.compare(b, a),
    };
    expect((await rejection(DB.open('/db', { fs, readOnly: true, comparator: reversed }))).code).toBe(
      'INVALID_ARGUMENT',
    );
    const faulty = new FaultInjectionFileSystem(fs);
    faulty.arm({ operations: ['openReadable'], path: (p) => p.endsWith('.sst'), mode: 'forever' });
    expect((await rejection(DB.open('/db', { fs: faulty, readOnly: true }))).code).toBe('IO_ERROR');
    expect(faulty.injected).toBe(1); // not retried
  });

  it('reads again when CURRENT changed between two reads of it', async () => {
    const fs = new MemoryFileSystem();
    await (await writer(fs)).close();
    const manifest = fs.list('/db').find((n) => n.startsWith('MANIFEST-')) as string;
    const copy = fs.openWritable('/db/MANIFEST-999999');
    copy.append(fs.readFile(joinPath('/db', manifest)));
    copy.close();
    let reads = 0;
    const moving: FileSystem = Object.create(fs, {
      readFile: {
        value: (path: string) =>
          path.endsWith('CURRENT') && reads++ === 0 ? utf8('MANIFEST-999999\n') : fs.readFile(path),
      },
    });
    const r = await DB.open('/db', { fs: moving, readOnly: true });
    expect(reads).toBeGreaterThan(2);
    expect(dump(r).length).toBe(400);
    await r.close();
  });

  it('refresh() of a writable handle resolves at once; a refresh racing close() settles', async () => {
    const fs = new MemoryFileSystem();
    const w = await writer(fs);
    await w.refresh();
    const r = await DB.open('/db', { fs, readOnly: true });
    await w.put('x', 'y');
    const refreshing = r.refresh();
    await r.close();
    await refreshing;
    await w.close();
  });
});

describe('PinnedFiles', () => {
  it('refuses every call that would change the directory', () => {
    const files = new PinnedFiles(new MemoryFileSystem());
    const calls = [
      () => files.openWritable('/x'),
      () => files.mkdir('/x'),
      () => files.remove('/x'),
      () => files.rename('/x', '/y'),
      () => files.syncDirectory('/'),
      () => files.lock('/LOCK'),
    ];
    for (const call of calls) expect(thrown(call).code).toBe('OPENED_READ_ONLY');
  });

  it('keeps a pinned file readable after it is removed, until its last view closes', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const f = fs.openWritable('/d/a');
    f.append(new Uint8Array([1, 2, 3]));
    f.close();
    const files = new PinnedFiles(fs);
    files.pin('/d/a');
    files.pin('/d/a');
    const view = files.openReadable('/d/a');
    fs.remove('/d/a');
    expect(files.exists('/d/a')).toBe(false);
    files.release(() => false);
    expect([...view.read(0, 3)]).toEqual([1, 2, 3]);
    view.close();
    view.close();
    expect(thrown(() => files.openReadable('/d/a')).code).toBe('NOT_FOUND');
  });
});
