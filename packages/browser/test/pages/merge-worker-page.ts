// A dedicated worker that runs the same writes, flushes and compactRange twice, once with merges and
// flush builds in the merge worker and once on this thread, and reports the table files (names, sizes,
// checksums), where the work ran, and what a reopen without the merge worker reads.
import { LeveledCompaction } from '@velocity/compaction';
import { crc32c } from '@velocity/core';
import { DB } from '@velocity/db';
import { OpfsMergeWorker } from '../../src/merge/merge-host.js';
import { OpfsFileSystem } from '../../src/opfs/opfs-file-system.js';

const enc = new TextEncoder();
const key = (i: number) => enc.encode(`key${String(i).padStart(7, '0')}`);
const value = (i: number) => enc.encode(`value-${i}-${'v'.repeat(60 + (i % 40))}`);

/** Rounds of writes, each flushed to its own level-0 table (three: below the level-0 trigger). */
const ROUNDS = 3;
const PER_ROUND = 8000;

/** What one run reports. */
export interface Run {
  tables: string[];
  compactionThreads: string[];
  flushThreads: string[];
  jobs: { merges: number; flushes: number } | undefined;
  scan: { count: number; crc: number };
  files: string[];
}

async function scanOf(db: DB): Promise<{ count: number; crc: number }> {
  let count = 0;
  let crc = 0;
  for await (const [k, v] of db.iterator()) {
    count++;
    crc = (crc * 31 + crc32c(k) + crc32c(v)) >>> 0;
  }
  return { count, crc };
}

async function run(useWorker: boolean): Promise<Run> {
  const directory = `merge-${useWorker ? 'worker' : 'main'}-${Date.now()}`;
  const fs = await OpfsFileSystem.open({ directory });
  const merger = useWorker ? new OpfsMergeWorker(fs, directory) : undefined;
  const db = await DB.open('/db', {
    fs,
    compactionThread: useWorker ? 'auto' : 'main',
    compactionWorker: merger,
    memtableSize: 4 * 1024 * 1024,
    // Small outputs: a merge writes more of them than the slots lent at first (top-ups).
    compaction: new LeveledCompaction({ targetFileSize: 128 * 1024 }),
  });
  const compactionThreads: string[] = [];
  const flushThreads: string[] = [];
  db.on('compaction', (e) => compactionThreads.push(e.thread));
  db.on('flush', (e) => flushThreads.push(e.thread));
  for (let round = 0; round < ROUNDS; round++) {
    const batch = db.batch();
    for (let i = 0; i < PER_ROUND; i++) {
      const n = i * ROUNDS + round;
      batch.put(key(n), value(n));
      if (i % 7 === round) batch.del(key(n - 1));
    }
    await batch.write();
    await db.flush();
  }
  await db.compactRange();
  const tables = fs
    .list('/db')
    .filter((name) => name.endsWith('.sst'))
    .map((name) => {
      const bytes = fs.readFile(`/db/${name}`);
      return `${name}:${bytes.length}:${crc32c(bytes)}`;
    });
  const jobs = merger === undefined ? undefined : { ...merger.counts };
  await db.close();
  fs.close();
  // Reopened without the merge worker: everything is there, and only the live files are.
  const again = await OpfsFileSystem.open({ directory, lockTimeoutMs: 2000 });
  const reopened = await DB.open('/db', { fs: again, compactionThread: 'main' });
  const scan = await scanOf(reopened);
  const files = again.list('/db').filter((name) => name.endsWith('.sst'));
  await reopened.close();
  again.close();
  return { tables, compactionThreads, flushThreads, jobs, scan, files };
}

async function main(): Promise<unknown> {
  const inWorker = await run(true);
  const onThread = await run(false);
  return { inWorker, onThread };
}

main().then(
  (result) => postMessage({ result }),
  (error) => postMessage({ error: String(error?.stack ?? error) }),
);
