// Output tables fsynced in the background while a merge goes on (PendingSyncs): the merge reports its
// outputs, and the manifest names them, only once every fsync has resolved. A power loss while some
// are pending must leave a database that opens and reads in full.
import { LeveledCompaction } from '@velocity/compaction';
import { MemoryFileSystem, type WritableFile } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';
import { PendingSyncs } from '../src/table-writer.js';
import { dump, key, value } from './helpers.js';

/**
 * Table files' `syncAsync` waits in `held` until released (everything else syncs as usual); `opened`
 * counts the table files opened for writing.
 */
function holdingTableSyncs(fs: MemoryFileSystem): { held: (() => void)[]; opened: { tables: number } } {
  const held: (() => void)[] = [];
  const opened = { tables: 0 };
  const openWritable = fs.openWritable.bind(fs);
  fs.openWritable = (path, options) => {
    const file: WritableFile = openWritable(path, options);
    if (path.endsWith('.sst')) {
      opened.tables++;
      const syncAsync = file.syncAsync?.bind(file);
      file.syncAsync = () =>
        new Promise<void>((resolve, reject) => held.push(() => syncAsync!().then(resolve, reject)));
    }
    return file;
  };
  return { held, opened };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('output tables fsynced in the background', () => {
  it('PendingSyncs.settle waits for every sync and reports the first failure', async () => {
    const syncs = new PendingSyncs();
    let lateDone = false;
    syncs.add(Promise.resolve());
    syncs.add(Promise.reject(new Error('first')));
    syncs.add(
      tick().then(() => {
        lateDone = true;
      }),
    );
    syncs.add(Promise.reject(new Error('second')));
    await expect(syncs.settle()).rejects.toThrow('first');
    expect(lateDone).toBe(true);
    await syncs.settle(); // Nothing left.
  });

  for (const cut of [2, 5, 9, 14]) {
    it(`a power loss with the ${cut}th table fsync pending leaves a database that opens and reads in full`, async () => {
      const memory = new MemoryFileSystem();
      const { held, opened } = holdingTableSyncs(memory);
      const db = await DB.open('/db', {
        fs: memory,
        memtableSize: 64 * 1024,
        blockSize: 256,
        compactionThread: 'main',
        compaction: new LeveledCompaction({ level0FileTrigger: 2, targetFileSize: 4 * 1024 }),
      });
      let flushes = 0;
      db.on('flush', () => flushes++);
      // Writes go on in the background while table fsyncs are released one at a time.
      let writing = true;
      let lastSynced = -1;
      const writes = (async () => {
        for (let i = 0; writing && i < 20_000; i++) {
          const sync = i % 50 === 0;
          await db.put(key(i % 900), value(i, 0, 60), { sync });
          if (sync && writing) lastSynced = i;
        }
      })().catch(() => {});
      let released = 0;
      while (released < cut) {
        await tick();
        const next = held.shift();
        if (next === undefined) continue;
        next();
        released++;
      }
      // Let the engine act on the released fsyncs (install, start the next outputs) before the cut.
      for (let i = 0; i < 5; i++) await tick();
      expect(held.length).toBeGreaterThan(0);
      // Past the first few fsyncs, compaction outputs are among the tables written (more tables than
      // flushes, counting the one flush that may be in progress).
      if (cut >= 5) expect(opened.tables).toBeGreaterThan(flushes + 1);
      writing = false;
      const survivor = memory.crash();
      // The old process's file system is dead: let its held fsyncs fail, so its work stops.
      for (let i = 0; i < 20; i++) {
        for (const release of held.splice(0)) release();
        await tick();
      }
      await writes;
      await db.close().catch(() => {});
      const reopened = await DB.open('/db', { fs: survivor });
      const entries = dump(reopened);
      expect(lastSynced).toBeGreaterThan(0);
      expect(entries.length).toBeGreaterThanOrEqual(Math.min(900, lastSynced + 1));
      // Every value is one this key was given, and the last synced write survived (or a later one).
      const written = (v: string) => Number(v.split('-')[1]);
      for (const [k, v] of entries) expect(key(written(v) % 900)).toBe(k);
      const survived = entries.find(([k]) => k === key(lastSynced % 900));
      expect(written(survived![1])).toBeGreaterThanOrEqual(lastSynced);
      await reopened.close();
    });
  }
});
