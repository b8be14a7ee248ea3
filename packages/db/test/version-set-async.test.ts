// VersionSet.logAndApplyAsync: edits recorded with the manifest's fsync off the main thread. The
// current version and the log number change only once the fsync covering the edit resolved; queued
// edits apply in order, each on top of the previous one; a failed fsync installs nothing.
import {
  MemoryFileSystem,
  ValueKind,
  VelocityError,
  type WritableFile,
  bytewiseComparator,
  isVelocityError,
  makeInternalKey,
  utf8,
} from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { TableFile } from '../src/file-meta.js';
import { VersionEdit } from '../src/version-edit.js';
import { VersionSet } from '../src/version-set.js';

const DIR = '/db';

/** A MemoryFileSystem whose files' `syncAsync` waits until the test settles it. */
function heldSyncs(): { fs: MemoryFileSystem; pending: { resolve(): void; reject(e: Error): void }[] } {
  const fs = new MemoryFileSystem();
  fs.mkdir(DIR);
  const pending: { resolve(): void; reject(e: Error): void }[] = [];
  const openWritable = fs.openWritable.bind(fs);
  fs.openWritable = (path, options) => {
    const file: WritableFile = openWritable(path, options);
    file.syncAsync = () =>
      new Promise<void>((resolve, reject) => {
        pending.push({
          resolve: () => {
            file.sync();
            resolve();
          },
          reject,
        });
      });
    return file;
  };
  return { fs, pending };
}

function table(id: number): TableFile {
  const key = (k: string, seq: number) => makeInternalKey(utf8(k), seq, ValueKind.Put);
  return new TableFile({
    id,
    size: 100 + id,
    smallest: key(`a${id}`, id),
    largest: key(`b${id}`, id),
    smallestSequence: id,
    largestSequence: id,
    entries: 1,
    tombstones: 0,
  });
}

function adding(id: number, logNumber?: number): VersionEdit {
  const edit = new VersionEdit();
  edit.addFile(0, table(id));
  if (logNumber !== undefined) edit.logNumber = logNumber;
  return edit;
}

function opened(fs: MemoryFileSystem): VersionSet {
  const versions = new VersionSet(fs, DIR, bytewiseComparator, 7, 1 << 20);
  versions.nextFileNumber = 100;
  versions.logAndApply(new VersionEdit()); // the first manifest, written synchronously
  return versions;
}

const filesOf = (versions: VersionSet) => versions.current.levels[0].map((f) => f.id).sort();
const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('VersionSet.logAndApplyAsync', () => {
  it('installs each edit only after its fsync, in call order, and the manifest holds them all', async () => {
    const { fs, pending } = heldSyncs();
    const versions = opened(fs);
    const first = versions.logAndApplyAsync(adding(1, 5));
    const second = versions.logAndApplyAsync(adding(2));
    await flushed();
    // The first edit is written and waits for its fsync; the second is not even written yet.
    expect(pending.length).toBe(1);
    expect(filesOf(versions)).toEqual([]);
    expect(versions.logNumber).toBe(0);
    // A synchronous edit meanwhile would be built on a version about to be replaced: refused.
    let refused: unknown;
    try {
      versions.logAndApply(adding(3));
    } catch (error) {
      refused = error;
    }
    expect(isVelocityError(refused, 'INVALID_ARGUMENT')).toBe(true);

    pending[0].resolve();
    await first;
    expect(filesOf(versions)).toEqual([1]);
    expect(versions.logNumber).toBe(5);
    await flushed();
    expect(pending.length).toBe(2);
    expect(filesOf(versions)).toEqual([1]);
    pending[1].resolve();
    await second;
    expect(filesOf(versions)).toEqual([1, 2]);
    await versions.whenInstalled();
    versions.close();

    const reopened = new VersionSet(fs, DIR, bytewiseComparator, 7, 1 << 20);
    reopened.recover();
    expect(filesOf(reopened)).toEqual([1, 2]);
    expect(reopened.logNumber).toBe(5);
    reopened.close();
  });

  it('installs nothing when the fsync fails, and records no edit after it', async () => {
    const { fs, pending } = heldSyncs();
    const versions = opened(fs);
    const failing = versions.logAndApplyAsync(adding(1, 9));
    const next = versions.logAndApplyAsync(adding(2));
    await flushed();
    pending[0].reject(new VelocityError('IO_ERROR', 'fsync failed'));
    await expect(failing).rejects.toThrow('fsync failed');
    expect(filesOf(versions)).toEqual([]);
    expect(versions.logNumber).toBe(0);
    // The failed edit may be in the manifest: an edit after it would be replayed on top of it.
    await expect(next).rejects.toThrow('fsync failed');
    expect(pending.length).toBe(1);
    await versions.whenInstalled();
    expect(() => versions.logAndApply(adding(3))).toThrow('fsync failed');
    expect(filesOf(versions)).toEqual([]);
    versions.close();
  });
});
