// Memory cost of a database holding 10k records (16-byte keys, 100-byte values): JavaScript heap plus
// ArrayBuffer memory after a full GC, with the database open and the records written, minus the same
// before opening it.
// Run after build: node --expose-gc bench/heap-10k.mjs [records]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DB } from '../dist/index.js';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const records = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'velocity-heap-'));
const heap = () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers; // the memtable's arena and cached blocks are ArrayBuffers
};
try {
  // Warm up module code so compiled code is not counted as data.
  const warm = await DB.open(join(dir, 'warm'));
  await warm.put('k', 'v');
  await warm.close();
  const before = heap();
  const db = await DB.open(join(dir, 'db'));
  const value = new Uint8Array(100).fill(3);
  for (let i = 0; i < records; i++) await db.put(`key${String(i).padStart(13, '0')}`, value);
  const inMemtable = heap() - before;
  await db.flush();
  for (let i = 0; i < records; i += 7) db.getSync(`key${String(i).padStart(13, '0')}`);
  const afterFlush = heap() - before;
  console.log(
    `${records} records: heap +${(inMemtable / 2 ** 20).toFixed(2)} MiB in the memtable, +${(afterFlush / 2 ** 20).toFixed(2)} MiB after flushing to a table and reading (block cache included)`,
  );
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
