import { compareBytes, fromUtf8 } from '@velocity/core';
import { DB } from '@velocity/db';

/** What the demo did, for callers and tests. */
export interface DemoSummary {
  /** Records written (and verified after reopen). */
  records: number;
  /** Records deleted along the way. */
  deleted: number;
  /** Files in the directory at the end. */
  files: number;
}

const RECORDS = 5000;

function keyOf(i: number): string {
  return `user:${String(i).padStart(6, '0')}`;
}

function recordValue(i: number): string {
  return JSON.stringify({ id: i, name: `user ${i}`, score: (i * 7919) % 1000 });
}

function elapsed(start: number): string {
  return `${(performance.now() - start).toFixed(1)} ms`;
}

/**
 * Runs the tour in `dir`, printing each step through `log`. Throws if anything read back differs from
 * what was written.
 */
export async function runDemo(dir: string, log: (line: string) => void): Promise<DemoSummary> {
  log(`Opening a Velocity database in ${dir}`);
  let db = await DB.open(dir, { memtableSize: 256 * 1024 });

  let t = performance.now();
  for (let i = 0; i < RECORDS / 2; i++) await db.put(keyOf(i), recordValue(i));
  log(`  put ${RECORDS / 2} records one await at a time in ${elapsed(t)}`);

  t = performance.now();
  const batch = db.batch();
  for (let i = RECORDS / 2; i < RECORDS; i++) batch.put(keyOf(i), recordValue(i));
  await batch.write({ sync: true });
  log(`  wrote ${RECORDS / 2} more in one atomic, synced batch in ${elapsed(t)}`);

  t = performance.now();
  for (let i = 0; i < RECORDS; i++) {
    const got = db.getSync(keyOf(i));
    if (got === undefined || fromUtf8(got) !== recordValue(i))
      throw new Error(`read back mismatch at ${keyOf(i)}`);
  }
  log(`  read all ${RECORDS} back with getSync in ${elapsed(t)}`);

  const snapshot = db.snapshot();
  let deleted = 0;
  for (let i = 0; i < RECORDS; i += 100) {
    await db.delete(keyOf(i));
    deleted++;
  }
  const before = await db.get(keyOf(0), { snapshot });
  log(
    `  deleted ${deleted} records; a snapshot taken before still sees ${keyOf(0)}: ${before !== undefined}`,
  );
  snapshot.release();

  const range: string[] = [];
  for await (const [key] of db.iterator({ gte: keyOf(1000), lt: keyOf(1010) })) range.push(fromUtf8(key));
  log(`  range scan [${keyOf(1000)}, ${keyOf(1010)}): ${range.length} keys (${keyOf(1000)} was deleted)`);

  t = performance.now();
  await db.flush();
  await db.compactRange({});
  log(`  flushed the memtable and compacted everything in ${elapsed(t)}`);
  for (const line of describeLevels(db.stats())) log(`  ${line}`);

  await db.close();
  log('Closed. Reopening...');

  db = await DB.open(dir);
  let found = 0;
  for (let i = 0; i < RECORDS; i++) {
    const got = db.getSync(keyOf(i));
    const shouldExist = i % 100 !== 0;
    if (shouldExist !== (got !== undefined)) throw new Error(`after reopen, ${keyOf(i)} is wrong`);
    if (got !== undefined) {
      if (fromUtf8(got) !== recordValue(i)) throw new Error(`after reopen, value of ${keyOf(i)} differs`);
      found++;
    }
  }
  log(`  after reopen: ${found} live records, ${deleted} deleted ones stayed deleted`);
  let count = 0;
  for (const _entry of db.iterator({ reverse: true, limit: 3 })) count++;
  log(`  the last ${count} keys, newest first, are readable with a reverse iterator`);
  const files = db.stats().files ?? 0;
  await db.close();
  return { records: RECORDS, deleted, files };
}

/**
 * The levels that hold tables, one line each with their key range as text, then the write
 * amplification: `L1: 1 table, 279222 bytes, 4950 entries, keys user:000001 .. user:004999`.
 */
export function describeLevels(stats: ReturnType<DB['stats']>): string[] {
  const lines = stats.levels
    .filter((level) => level.files > 0)
    .map((level) => {
      const first = level.tables.reduce((a, b) => (compareBytes(a.smallestKey, b.smallestKey) <= 0 ? a : b));
      const last = level.tables.reduce((a, b) => (compareBytes(a.largestKey, b.largestKey) >= 0 ? a : b));
      const tables = `${level.files} table${level.files === 1 ? '' : 's'}`;
      const range = `keys ${fromUtf8(first.smallestKey)} .. ${fromUtf8(last.largestKey)}`;
      return `L${level.level}: ${tables}, ${level.bytes} bytes, ${level.entries} entries, ${range}`;
    });
  return [...lines, `write amplification since open: ${stats.writeAmplification.toFixed(2)}`];
}
