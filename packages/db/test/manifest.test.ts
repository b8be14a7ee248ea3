// The manifest on its own (src/manifest.ts): what it reads back, how it reports damage (with the
// manifest's path), and that its writer fails cleanly: an I/O error while creating closes the file, a
// closed writer refuses appends, and closing after I/O errors never throws.
import {
  FaultInjectionFileSystem,
  type FileSystem,
  MemoryFileSystem,
  VelocityError,
  type WritableFile,
} from '@velocity/core';
import { LogWriter } from '@velocity/wal';
import { describe, expect, it } from 'vitest';
import { manifestFileName } from '../src/filenames.js';
import { ManifestWriter, readManifest } from '../src/manifest.js';
import { VersionEdit } from '../src/version-edit.js';
import { thrown } from './helpers.js';

const DIR = '/db';

function edit(lastSequence: number): VersionEdit {
  const e = new VersionEdit();
  e.logNumber = lastSequence + 1;
  e.nextFileNumber = lastSequence + 2;
  e.lastSequence = lastSequence;
  return e;
}

function memory(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  fs.mkdir(DIR);
  return fs;
}

/** Writes manifest 1 holding edits with last sequences 10, 20, 30. */
function threeEdits(fs: FileSystem): void {
  const writer = ManifestWriter.create(fs, DIR, 1, edit(10));
  writer.append(edit(20));
  writer.append(edit(30));
  writer.close();
}

/** Replaces the file at `path` with `bytes`. */
function rewrite(fs: FileSystem, path: string, bytes: Uint8Array): void {
  fs.remove(path);
  const file = fs.openWritable(path);
  file.append(bytes);
  file.sync();
  file.close();
}

/** `inner`, recording for every file opened for writing whether it was closed. */
function trackingCloses(inner: FileSystem): { fs: FileSystem; opened: { path: string; closed: boolean }[] } {
  const opened: { path: string; closed: boolean }[] = [];
  const fs = new Proxy(inner, {
    get(target, property) {
      if (property === 'openWritable') {
        return (path: string, options?: object) => {
          const file: WritableFile = target.openWritable(path, options);
          const record = { path, closed: false };
          opened.push(record);
          return new Proxy(file, {
            get(f, p) {
              if (p === 'close') {
                return () => {
                  record.closed = true;
                  f.close();
                };
              }
              const v = Reflect.get(f, p);
              return typeof v === 'function' ? v.bind(f) : v;
            },
          });
        };
      }
      const v = Reflect.get(target, property);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { fs, opened };
}

describe('readManifest', () => {
  it('reads back every edit in the order appended, with nothing dropped', () => {
    const fs = memory();
    threeEdits(fs);
    const { edits, tailDropped } = readManifest(fs, DIR, 1);
    expect(edits.map((e) => e.lastSequence)).toEqual([10, 20, 30]);
    expect(edits[2]?.nextFileNumber).toBe(32);
    expect(tailDropped).toBe(false);
  });

  it('cuts a torn last record and keeps the edits before it', () => {
    const fs = memory();
    threeEdits(fs);
    const path = manifestFileName(DIR, 1);
    const bytes = fs.readFile(path);
    rewrite(fs, path, bytes.subarray(0, bytes.length - 3));
    const { edits, tailDropped } = readManifest(fs, DIR, 1);
    expect(edits.map((e) => e.lastSequence)).toEqual([10, 20]);
    expect(tailDropped).toBe(true);
  });

  it('is CORRUPTION naming the manifest when a sound record is not a version edit', () => {
    const fs = memory();
    const path = manifestFileName(DIR, 1);
    const file = fs.openWritable(path);
    const log = new LogWriter(file);
    log.addRecord(edit(10).encode());
    log.addRecord(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3])); // no such tag
    log.sync();
    file.close();
    let error: unknown;
    try {
      readManifest(fs, DIR, 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VelocityError);
    expect((error as VelocityError).code).toBe('CORRUPTION');
    expect((error as VelocityError).path).toBe(path);
    expect((error as VelocityError).message.startsWith(`${path}: `)).toBe(true);
    expect((error as VelocityError).cause).toBeInstanceOf(VelocityError);
  });

  it('is CORRUPTION when the manifest does not exist', () => {
    const error = thrown(() => readManifest(memory(), DIR, 7));
    expect(error.code).toBe('CORRUPTION');
    expect(error.message).toContain('missing manifest');
  });
});

describe('ManifestWriter', () => {
  it('counts the bytes it wrote, and a closed writer refuses appends', () => {
    const fs = memory();
    const writer = ManifestWriter.create(fs, DIR, 3, edit(1));
    const first = writer.size;
    expect(first).toBeGreaterThan(0);
    writer.append(edit(2));
    expect(writer.size).toBeGreaterThan(first);
    expect(writer.size).toBe(fs.readFile(manifestFileName(DIR, 3)).length);
    writer.close();
    writer.close(); // twice is harmless
    expect(thrown(() => writer.append(edit(3))).code).toBe('CLOSED');
    expect(readManifest(fs, DIR, 3).edits.map((e) => e.lastSequence)).toEqual([1, 2]);
  });

  for (const operation of ['sync', 'syncDirectory'] as const) {
    it(`fails to create when ${operation} fails, and closes the file it opened`, () => {
      const faulty = new FaultInjectionFileSystem(memory());
      const { fs, opened } = trackingCloses(faulty);
      faulty.arm({ operations: [operation], errno: 'EIO' });
      const error = thrown(() => ManifestWriter.create(fs, DIR, 4, edit(1)));
      expect(error.code).toBe('IO_ERROR');
      expect(faulty.injected).toBe(1);
      expect(opened).toEqual([{ path: manifestFileName(DIR, 4), closed: true }]);
    });
  }

  it('closes without throwing when closing the file fails (the earlier error is what matters)', () => {
    const faulty = new FaultInjectionFileSystem(memory());
    const writer = ManifestWriter.create(faulty, DIR, 5, edit(1));
    faulty.failAll('EIO', ['close', 'flush', 'sync']);
    expect(thrown(() => writer.append(edit(2))).code).toBe('IO_ERROR');
    expect(() => writer.close()).not.toThrow();
    expect(faulty.injected).toBeGreaterThanOrEqual(2);
    expect(thrown(() => writer.append(edit(3))).code).toBe('CLOSED');
  });
});
