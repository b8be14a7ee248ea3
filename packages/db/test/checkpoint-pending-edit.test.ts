// A checkpoint or backup asked for while a manifest edit waits for its fsync (the edit is in the file,
// its version not yet current) waits for the edit, so the copy never names a table it lacks.
import { MemoryFileSystem, type WritableFile } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB, backup, restore } from '../src/index.js';
import { dump, key, value } from './helpers.js';

/** The manifest files' `syncAsync` waits in `held` until released. */
function holdingManifestSyncs(fs: MemoryFileSystem): (() => void)[] {
  const held: (() => void)[] = [];
  const openWritable = fs.openWritable.bind(fs);
  fs.openWritable = (path, options) => {
    const file: WritableFile = openWritable(path, options);
    if (path.includes('MANIFEST-')) {
      const syncAsync = file.syncAsync?.bind(file);
      file.syncAsync = () =>
        new Promise<void>((resolve, reject) => held.push(() => syncAsync!().then(resolve, reject)));
    }
    return file;
  };
  return held;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

async function flushPendingInManifest(): Promise<{
  db: DB;
  memory: MemoryFileSystem;
  held: (() => void)[];
  flushed: Promise<void>;
}> {
  const memory = new MemoryFileSystem();
  const held = holdingManifestSyncs(memory);
  const db = await DB.open('/db', { fs: memory, compactionThread: 'main' });
  for (let i = 0; i < 500; i++) await db.put(key(i), value(i));
  const flushed = db.flush();
  // The flush writes its table, then its edit, and waits for the edit's fsync.
  while (held.length === 0) await tick();
  return { db, memory, held, flushed };
}

describe('checkpoints and backups while a manifest edit is being recorded', () => {
  it('a checkpoint waits for the edit and opens with every entry', async () => {
    const { db, memory, held, flushed } = await flushPendingInManifest();
    let done = false;
    const checkpoint = db.checkpoint('/ckpt').then((info) => {
      done = true;
      return info;
    });
    for (let i = 0; i < 5; i++) await tick();
    expect(done).toBe(false);
    held.shift()!();
    await flushed;
    await checkpoint;
    const copy = await DB.open('/ckpt', { fs: memory });
    expect(dump(copy)).toEqual(dump(db));
    expect(dump(copy).length).toBe(500);
    expect(copy.stats().levels[0].files).toBe(1);
    await copy.close();
    await db.close();
  });

  it('a backup waits for the edit and restores with every entry', async () => {
    const { db, memory, held, flushed } = await flushPendingInManifest();
    const made = backup(db, '/backups');
    for (let i = 0; i < 5; i++) await tick();
    held.shift()!();
    await flushed;
    const info = await made;
    await restore('/backups', info.id, '/restored', { fs: memory });
    const copy = await DB.open('/restored', { fs: memory });
    expect(dump(copy).length).toBe(500);
    await copy.close();
    await db.close();
  });
});
