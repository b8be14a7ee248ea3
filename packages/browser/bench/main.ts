// Runs bench-page.ts in headless Chromium (persistent profile, so OPFS and IndexedDB are on disk) and
// prints operations per second for Velocity on OPFS, raw IndexedDB and browser-level, with ratios.
// Usage: node bench/run.mjs [entries=100000] [awaited=20000]
import { writeFileSync } from 'node:fs';
import { haveChromium, startSession } from '../test/harness/browser.js';
import type { Rates } from './bench-page.js';

const n = Number(process.argv[2] ?? 100_000);
const awaited = Number(process.argv[3] ?? 20_000);
if (!haveChromium) process.exit(1);
const session = await startSession({ page: 'bench/bench-page.ts', worker: 'src/worker.ts' });
try {
  const page = await session.open();
  page.on('console', (m) => console.log('[page]', m.text()));
  const results = (await page.evaluate(
    ([a, b]) =>
      (globalThis as unknown as { runBench(n: number, a: number): Promise<unknown> }).runBench(a, b),
    [n, awaited],
  )) as Record<string, Rates>;
  const version = await page.evaluate(() => navigator.userAgent);
  const rows = Object.keys(results.velocity) as (keyof Rates)[];
  console.log(`${n} entries (16-byte keys, 100-byte values), ${awaited} awaited operations; ${version}`);
  console.log(`| workload | velocity (OPFS) | IndexedDB | browser-level | vs IndexedDB | vs browser-level |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const v = results.velocity[row];
    const i = results.indexeddb[row];
    const l = results['browser-level'][row];
    console.log(`| ${row} | ${v} | ${i} | ${l} | ${(v / i).toFixed(1)}× | ${(v / l).toFixed(1)}× |`);
  }
  writeFileSync(
    process.env.BENCH_RESULTS ?? 'results.json',
    `${JSON.stringify({ entries: n, awaited, userAgent: version, results }, null, 2)}\n`,
  );
} finally {
  await session.close();
}
