/**
 * `stats` and `compact`.
 * @module
 */
import type { DBStats } from '@velocity/db';
import { renderText } from '../encoding.js';
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

const count = (n: number) => n.toLocaleString('en-US');

/** `JSON.stringify` replacer: keys (`Uint8Array`) as text, or `0x` + hex, instead of `{"0":117,...}`. */
export function bytesAsText(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? renderText(value) : value;
}

/**
 * The `stats` report. What the files hold (levels, tables, entries, sizes) comes first; the counters
 * that start at zero on every open (writes, amplification, cache) are labelled as such, since the
 * command has only just opened the database.
 */
export function describeStats(dir: string, s: DBStats): string[] {
  const lines = [`database ${dir}`, 'in its files:'];
  lines.push(`  ${'level'.padEnd(6)}${'tables'.padStart(7)}${'entries'.padStart(12)}${'size'.padStart(12)}`);
  for (const level of s.levels) {
    if (level.files === 0 && level.level > 0) continue;
    lines.push(
      `  ${`L${level.level}`.padEnd(6)}${String(level.files).padStart(7)}${count(level.entries).padStart(12)}${bytes(level.bytes).padStart(12)}`,
    );
  }
  const entries = s.levels.reduce((sum, level) => sum + level.entries, 0);
  lines.push(
    `  ${'total'.padEnd(6)}${String(s.files).padStart(7)}${count(entries).padStart(12)}${bytes(s.bytes).padStart(12)}`,
  );
  lines.push(`  entries count versions and tombstones; last sequence number ${count(s.lastSequence)}`);
  lines.push('since this command opened it (these counters start at zero on every open):');
  lines.push(`  memtable ${bytes(s.memtableBytes)} (what the write-ahead log held, replayed at open)`);
  const amplification = s.writes.userBytes === 0 ? 'n/a, nothing written' : s.writeAmplification.toFixed(2);
  lines.push(`  writes ${count(s.writes.records)}, write amplification ${amplification}`);
  if (s.blockCache) {
    const { hits, misses, name, bytesUsed } = s.blockCache;
    const ratio = hits + misses === 0 ? 'n/a, no lookups' : `${((hits / (hits + misses)) * 100).toFixed(1)}%`;
    lines.push(`  block cache (${name}): ${bytes(bytesUsed)} used, hit ratio ${ratio}`);
  }
  return lines;
}

/** Prints what the files of the database at `dir` hold, then the counters since open. */
export async function stats(dir: string, options: StatsOptions, out: (line: string) => void): Promise<void> {
  await withDatabase(dir, { readOnly: true }, async (db) => {
    const s = db.stats();
    if (options.json) out(JSON.stringify(s, bytesAsText, 2));
    else for (const line of describeStats(dir, s)) out(line);
  });
}

/** Compacts the whole database into the deepest level that holds data, and says where it is now. */
export async function compact(dir: string, out: (line: string) => void): Promise<void> {
  await withDatabase(dir, {}, async (db) => {
    const before = db.stats();
    const started = performance.now();
    await db.compactRange({});
    const after = db.stats();
    const levels = after.levels.filter((level) => level.files > 0).map((level) => `L${level.level}`);
    out(
      `compacted ${dir} in ${((performance.now() - started) / 1000).toFixed(2)} s: ` +
        `${before.files} files, ${bytes(before.bytes)} -> ${after.files} files, ${bytes(after.bytes)}` +
        (levels.length > 0 ? `, now in ${levels.join(', ')}` : ''),
    );
  });
}
