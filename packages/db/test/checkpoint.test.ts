import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FaultInjectionFileSystem,
  type FileSystem,
  MemoryFileSystem,
  VelocityError,
  crc32c,
} from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import { describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';
import { copyFileNow } from '../src/copy-files.js';
import { key, rejection, text, thrown, value } from './helpers.js';
import { prefixLength, writeStream } from './write-stream.js';

const OPTIONS = { memtableSize: 16 * 1024, blockSize: 256 };

/** A file system without `link`, as some are. */
function withoutLink(fs: FileSystem): FileSystem {
  return Object.create(fs, { link: { value: undefined } });
}

/** A file system whose `link` fails with `errno`. */
function linkFails(fs: FileSystem, errno: string): FileSystem {
  return Object.create(fs, {
    link: {
      value: (from: string) => {
        throw new VelocityError('IO_ERROR', `injected ${errno}`, { errno, path: from });
      },
    },
  });
}

describe('db.checkpoint', () => {
  for (const [name, make] of [
    ['hard links (MemoryFileSystem)', (fs: MemoryFileSystem) => fs],
    ['copies (no link)', (fs: MemoryFileSystem) => withoutLink(fs)],
    ['copies (link fails with EXDEV)', (fs: MemoryFileSystem) => linkFails(fs, 'EXDEV')],
  ] as const) {
    it(`taken during a stream of writes opens as a prefix of them: ${name}`, async () => {
      const memory = new MemoryFileSystem();
      const fs = make(memory);
      const db = await DB.open('/db', { fs, ...OPTIONS });
      const stream = writeStream(db);
      await stream.reach(600);
      const before = stream.acked;
      const info = await db.checkpoint('/ckpt');
      const after = stream.acked;
      await stream.reach(after + 300);
      await stream.stop();
      const total = stream.acked;
      await db.close();
      if (name.startsWith('hard')) {
        expect(info.linkedTables).toBeGreaterThan(0);
        expect(info.copiedTables).toBe(0);
      } else {
        expect(info.linkedTables).toBe(0);
        expect(info.copiedTables).toBeGreaterThan(0);
      }
      const copy = await DB.open('/ckpt', { fs: memory });
      const n = prefixLength(copy, total + 5);
      expect(n).toBeGreaterThanOrEqual(before);
      expect(n).toBeLessThanOrEqual(after + 1);
      expect(copy.stats().lastSequence).toBeGreaterThanOrEqual(info.sequence);
      await copy.close();
      // The original is untouched by the copy being opened and written.
      const original = await DB.open('/db', { fs: memory });
      expect(prefixLength(original, total + 5)).toBe(total);
      await original.close();
    });
  }

  it('hard-links tables on a real disk, and the copy outlives the original', async () => {
    const root = mkdtempSync(join(tmpdir(), 'velocity-checkpoint-'));
    try {
      const db = await DB.open(join(root, 'db'), { fs: new NodeFileSystem(), ...OPTIONS });
      const stream = writeStream(db);
      await stream.reach(2000);
      await stream.stop();
      const written = stream.acked;
      await db.compactRange();
      await db.put('in-the-log', 'yes');
      const info = await db.checkpoint(join(root, 'ckpt'));
      expect(info.linkedTables).toBeGreaterThan(0);
      const [table] = readdirSync(join(root, 'ckpt')).filter((n) => n.endsWith('.sst'));
      expect(statSync(join(root, 'ckpt', table)).nlink).toBe(2);
      await db.close();
      rmSync(join(root, 'db'), { recursive: true });
      const copy = await DB.open(join(root, 'ckpt'));
      expect(prefixLength(copy, written + 1)).toBe(written);
      expect(text(copy.getSync('in-the-log'))).toBe('yes');
      await copy.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a target that is not empty, and a read-only handle', async () => {
    const fs = new MemoryFileSystem();
    const db = await DB.open('/db', { fs });
    await db.put('a', 'b');
    fs.mkdir('/full');
    fs.openWritable('/full/x').close();
    expect((await rejection(db.checkpoint('/full'))).code).toBe('ALREADY_EXISTS');
    const reader = await DB.open('/db', { fs, readOnly: true });
    expect((await rejection(reader.checkpoint('/elsewhere'))).code).toBe('OPENED_READ_ONLY');
    await reader.close();
    await db.close();
    expect((await rejection(db.checkpoint('/later'))).code).toBe('CLOSED');
  });

  it('a checkpoint cut short does not open, and a link failing otherwise fails the checkpoint', async () => {
    const memory = new MemoryFileSystem();
    const faulty = new FaultInjectionFileSystem(memory);
    const db = await DB.open('/db', { fs: faulty, ...OPTIONS });
    for (let i = 0; i < 500; i++) await db.put(key(i), value(i, 0, 200));
    await db.flush();
    faulty.arm({ operations: ['rename'], path: (p) => p.startsWith('/cut/'), mode: 'forever' });
    expect((await rejection(db.checkpoint('/cut'))).code).toBe('IO_ERROR');
    faulty.reset();
    expect((await rejection(DB.open('/cut', { fs: memory }))).code).toBe('NOT_A_DATABASE');
    faulty.arm({ operations: ['openWritable'], path: (p) => p.startsWith('/cut2/'), mode: 'forever' });
    expect((await rejection(db.checkpoint('/cut2'))).code).toBe('IO_ERROR');
    faulty.reset();
    await db.close();
    const broken = await DB.open('/db', { fs: linkFails(memory, 'EIO') });
    expect((await rejection(broken.checkpoint('/eio'))).code).toBe('IO_ERROR');
    await broken.close();
  });
});

describe('copyFileNow', () => {
  it('fails with CORRUPTION when the source is shorter than it says', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const file = fs.openWritable('/d/a');
    file.append(new Uint8Array(10));
    file.close();
    const lying: FileSystem = Object.create(fs, {
      openReadable: { value: (path: string) => ({ ...fs.openReadable(path), size: 20 }) },
    });
    expect(thrown(() => copyFileNow(lying, '/d/a', '/d/b')).code).toBe('CORRUPTION');
    expect(copyFileNow(fs, '/d/a', '/d/c')).toEqual({ bytes: 10, crc32c: crc32c(new Uint8Array(10)) });
  });
});
