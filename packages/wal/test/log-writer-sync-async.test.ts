// LogWriter.syncAsync: off the calling thread when the file has syncAsync, else the synchronous sync
// settled as a promise (and a failing sync becomes a rejection, not a throw).
import { MemoryFileSystem, VelocityError, type WritableFile, utf8 } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { LogReader, LogWriter } from '../src/index.js';

/** `inner` without its optional syncAsync; `failSync` makes sync() throw. */
function withoutSyncAsync(inner: WritableFile, failSync = false): WritableFile {
  return {
    path: inner.path,
    get size() {
      return inner.size;
    },
    append: (data) => inner.append(data),
    flush: () => inner.flush(),
    sync: () => {
      if (failSync) throw new VelocityError('IO_ERROR', 'injected');
      inner.sync();
    },
    close: () => inner.close(),
  };
}

describe('LogWriter.syncAsync', () => {
  it('uses the file’s syncAsync when it has one', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const log = new LogWriter(fs.openWritable('/d/a.log'));
    fs.syncDirectory('/d');
    expect(log.syncsAsynchronously).toBe(true);
    log.addRecord(utf8('one'));
    await log.syncAsync();
    const after = fs.crash();
    expect(new LogReader(after.readFile('/d/a.log')).readRecord()).toEqual(utf8('one'));
  });

  it('falls back to sync() and reports its failure as a rejection', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const log = new LogWriter(withoutSyncAsync(fs.openWritable('/d/b.log')));
    fs.syncDirectory('/d');
    expect(log.syncsAsynchronously).toBe(false);
    log.addRecord(utf8('two'));
    await log.syncAsync();
    expect(new LogReader(fs.crash().readFile('/d/b.log')).readRecord()).toEqual(utf8('two'));
    const failing = new LogWriter(withoutSyncAsync(new MemoryFileSystem().openWritable('/c.log'), true));
    await expect(failing.syncAsync()).rejects.toMatchObject({ code: 'IO_ERROR' });
  });
});
