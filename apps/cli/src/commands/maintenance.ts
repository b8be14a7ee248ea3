/**
 * `stats` and `compact`.
 * @module
 */
import { withDatabase } from '../open.js';

/** Options of `stats`. */
export interface StatsOptions {
  /** Print the raw statistics as JSON. */
  json?: boolean;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Prints levels, files, sizes and amplification of the database at `dir`. */
export async function stats(dir: string, options: StatsOptions, out: (line: string) => void): Promise<void> {
  await withDatabase(dir, {}, async (db) => {
    const s = db.stats();
    if (options.json) {
      out(JSON.stringify(s, null, 2));
      return;
    }
    out(`database ${dir}`);
    out('level  files        size');
    for (const level of s.levels) {
      if (level.files === 0 && level.level > 0) continue;
      out(
        `L${String(level.level).padEnd(5)} ${String(level.files).padStart(5)}  ${bytes(level.bytes).padStart(10)}`,
      );
    }
    out(`total  ${String(s.files).padStart(5)}  ${bytes(s.bytes).padStart(10)}`);
    out(`memtable: ${bytes(s.memtableBytes)}`);
    out(`write amplification: ${s.writeAmplification.toFixed(2)}`);
    if (s.blockCache) {
      const { hits, misses } = s.blockCache;
      const ratio = hits + misses === 0 ? 0 : hits / (hits + misses);
      out(
        `block cache (${s.blockCache.name}): ${bytes(s.blockCache.bytesUsed)} used, hit ratio ${(ratio * 100).toFixed(1)}%`,
      );
    }
  });
}

/** Compacts the whole database (or a key range) down to the last level. */
export async function compact(dir: string, out: (line: string) => void): Promise<void> {
  await withDatabase(dir, {}, async (db) => {
    const before = db.stats();
    const started = performance.now();
    await db.compactRange({});
    const after = db.stats();
    out(
      `compacted ${dir} in ${((performance.now() - started) / 1000).toFixed(2)} s: ` +
        `${before.files} files, ${bytes(before.bytes)} -> ${after.files} files, ${bytes(after.bytes)}`,
    );
  });
}
