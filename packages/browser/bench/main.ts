// Runs bench-page.ts in headless Chromium (persistent profile, so OPFS and IndexedDB are on disk) and
// prints operations per second for Velocity on OPFS, raw IndexedDB and browser-level, with ratios.
// The page is cross-origin isolated (COOP/COEP headers), so Velocity runs twice: with gets through
// shared memory (its default on such a page) and with every call by message (the default elsewhere).
// Usage: node bench/run.mjs [entries=100000] [awaited=20000]; BENCH_MERGE_WORKER=1 or 0 runs merges and
// flush builds in the merge worker or on the database worker's thread (openBrowserDB's mergeWorker;
// unset: its default), for A/B runs.
import { writeFileSync } from 'node:fs';
import { haveChromium, startSession } from '../test/harness/browser.js';
import type { Rates } from './bench-page.js';

const n = Number(process.argv[2] ?? 100_000);
const awaited = Number(process.argv[3] ?? 20_000);
const mergeEnv = process.env.BENCH_MERGE_WORKER;
const mergeWorker = mergeEnv === undefined ? null : mergeEnv !== '0';
if (!haveChromium) process.exit(1);
const session = await startSession(
  { page: 'bench/bench-page.ts', worker: 'src/worker.ts', 'merge-worker': 'src/merge-worker.ts' },
  { isolated: true },
);
try {
  const page = await session.open();
  page.on('console', (m) => console.log('[page]', m.text()));
  const results = (await page.evaluate(
    ([a, b, c]) =>
      (globalThis as unknown as { runBench(n: number, a: number, m: boolean): Promise<unknown> }).runBench(
        a as number,
        b as number,
        c as boolean,
      ),
    [n, awaited, mergeWorker] as const,
  )) as Record<string, Rates>;
  const version = await page.evaluate(() => navigator.userAgent);
  const rows = Object.keys(results.velocity) as (keyof Rates)[];
  const messages = results['velocity-messages'];
  console.log(
    `${n} entries (16-byte keys, 100-byte values), ${awaited} awaited operations, merge worker ${mergeWorker === null ? 'default' : mergeWorker ? 'on' : 'off'}; ${version}`,
  );
  console.log(
    '| workload | Velocity (OPFS) | Velocity, messages only | IndexedDB | browser-level | vs IndexedDB | vs browser-level | messages only vs IndexedDB |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const v = results.velocity[row];
    const m = messages?.[row];
    const i = results.indexeddb[row];
    const l = results['browser-level'][row];
    const ratio = (a: number | undefined, b: number) => (a === undefined ? '–' : `${(a / b).toFixed(1)}×`);
    console.log(
      `| ${row} | ${v} | ${m ?? '–'} | ${i} | ${l} | ${ratio(v, i)} | ${ratio(v, l)} | ${ratio(m, i)} |`,
    );
  }
  writeFileSync(
    process.env.BENCH_RESULTS ?? 'results.json',
    `${JSON.stringify({ entries: n, awaited, userAgent: version, results }, null, 2)}\n`,
  );
} finally {
  await session.close();
}
