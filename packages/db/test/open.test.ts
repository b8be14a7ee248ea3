import { MemoryFileSystem, type Comparator, bytewiseComparator, utf8 } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { BASE_FORMAT_VERSION, DB, FORMAT_VERSION } from '../src/index.js';
import { dump, openMemory, rejection } from './helpers.js';

function snapshotDir(fs: MemoryFileSystem, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.list(dir)) out[name] = Buffer.from(fs.readFile(`${dir}/${name}`)).toString('hex');
  return out;
}

describe('open', () => {
  it('creates the directory and the documented files', async () => {
    const { db, fs } = await openMemory({}, new MemoryFileSystem(), '/a/b/db');
    await db.close();
    const names = fs.list('/a/b/db');
    expect(names).toContain('VELOCITY');
    expect(names).toContain('CURRENT');
    expect(names).toContain('LOCK');
    expect(names.filter((n) => n.startsWith('MANIFEST-')).length).toBe(1);
    expect(names.filter((n) => n.endsWith('.log')).length).toBe(1);
    expect(new TextDecoder().decode(fs.readFile('/a/b/db/VELOCITY'))).toBe(
      `velocity\nformat-version ${BASE_FORMAT_VERSION}\n`,
    );
    expect(new TextDecoder().decode(fs.readFile('/a/b/db/CURRENT'))).toMatch(/^MANIFEST-\d{6}\n$/);
  });

  it('honours createIfMissing and errorIfExists', async () => {
    const fs = new MemoryFileSystem();
    expect((await rejection(DB.open('/db', { fs, createIfMissing: false }))).code).toBe('NOT_FOUND');
    expect(fs.exists('/db')).toBe(false);
    const db = await DB.open('/db', { fs });
    await db.close();
    expect((await rejection(DB.open('/db', { fs, errorIfExists: true }))).code).toBe('ALREADY_EXISTS');
    const again = await DB.open('/db', { fs, createIfMissing: false });
    await again.close();
  });

  it('refuses a second open with LOCKED until the first closes', async () => {
    const { db, fs } = await openMemory();
    expect((await rejection(DB.open('/db', { fs }))).code).toBe('LOCKED');
    await db.close();
    const again = await DB.open('/db', { fs });
    await again.close();
  });

  it('refuses a non-database directory with NOT_A_DATABASE and leaves it untouched', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/stuff');
    const f = fs.openWritable('/stuff/notes.txt');
    f.append(utf8('hello'));
    f.close();
    const before = snapshotDir(fs, '/stuff');
    expect((await rejection(DB.open('/stuff', { fs }))).code).toBe('NOT_A_DATABASE');
    expect(snapshotDir(fs, '/stuff')).toEqual(before);
    // A LevelDB-like directory (CURRENT without our marker) is not ours either.
    fs.mkdir('/leveldb');
    for (const name of ['CURRENT', 'MANIFEST-000001', 'LOG']) fs.openWritable(`/leveldb/${name}`).close();
    const levelBefore = snapshotDir(fs, '/leveldb');
    expect((await rejection(DB.open('/leveldb', { fs }))).code).toBe('NOT_A_DATABASE');
    expect(snapshotDir(fs, '/leveldb')).toEqual(levelBefore);
  });

  it('refuses a newer format with FORMAT_VERSION before writing anything', async () => {
    const { db, fs } = await openMemory();
    await db.put('k', 'v');
    await db.close();
    const f = fs.openWritable('/db/VELOCITY');
    f.append(utf8(`velocity\nformat-version ${FORMAT_VERSION + 1}\n`));
    f.close();
    const before = snapshotDir(fs, '/db');
    expect((await rejection(DB.open('/db', { fs }))).code).toBe('FORMAT_VERSION');
    expect(snapshotDir(fs, '/db')).toEqual(before);
  });

  it('refuses a different comparator with INVALID_ARGUMENT before writing anything', async () => {
    const { db, fs } = await openMemory();
    await db.put('k', 'v');
    await db.close();
    const before = snapshotDir(fs, '/db');
    const reversed: Comparator = {
      ...bytewiseComparator,
      name: 'test.Reversed',
      compare: (a, b) => bytewiseComparator.compare(b, a),
    };
    expect((await rejection(DB.open('/db', { fs, comparator: reversed }))).code).toBe('INVALID_ARGUMENT');
    expect(snapshotDir(fs, '/db')).toEqual(before);
  });

  it('orders keys with a custom comparator', async () => {
    const reversed: Comparator = {
      name: 'test.Reversed',
      compare: (a, b) => bytewiseComparator.compare(b, a),
      findShortestSeparator: (a) => a,
      findShortSuccessor: (a) => a,
    };
    const { db, fs } = await openMemory({ comparator: reversed, memtableSize: 4096 });
    for (const k of ['b', 'a', 'c', 'd']) await db.put(k, k.toUpperCase());
    await db.flush();
    await db.put('e', 'E');
    expect(dump(db).map((e) => e[0])).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(dump(db, { gt: 'd', lte: 'a' }).map((e) => e[0])).toEqual(['c', 'b', 'a']);
    await db.close();
    const again = await DB.open('/db', { fs, comparator: reversed });
    expect(new TextDecoder().decode(again.getSync('c'))).toBe('C');
    await again.close();
  });

  it('recovers from an interrupted creation', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/db');
    fs.openWritable('/db/LOCK').close();
    const db = await DB.open('/db', { fs });
    await db.put('k', 'v');
    await db.close();
  });

  it('fails with NOT_SUPPORTED outside Node when no fs is given', async () => {
    const saved = globalThis.process;
    const fake = { ...saved, versions: {} };
    Object.defineProperty(globalThis, 'process', { value: fake, configurable: true, writable: true });
    try {
      expect((await rejection(DB.open('/db'))).code).toBe('NOT_SUPPORTED');
    } finally {
      Object.defineProperty(globalThis, 'process', { value: saved, configurable: true, writable: true });
    }
  });
});
