// Profiling driver (not part of the benchmark): runs profile-page.ts, attaches the CDP profiler to
// the page and the database worker around each workload, and writes .cpuprofile files to
// $PROFILE_DIR (default /tmp); NOPROF=1 runs the workloads without the profiler, SHARED=0 without
// shared memory, MERGE_WORKER=1 or 0 with merges in the merge worker or on the database worker's
// thread (unset: openBrowserDB's default). Usage: node bench/run.mjs profile [entries] [awaited]
// With `ab` first (node bench/run.mjs ab puts|gets [blocks] [size]): no profiler; awaited calls with
// and without shared memory, alternating blocks in one page (ab() in profile-page.ts), medians.
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { haveChromium, startSession } from '../test/harness/browser.js';

/** Variants of ab(): $AB_VARIANTS (JSON, name to sharedMemory or { shared, worker: script URL }). */
const variants: object = process.env.AB_VARIANTS
  ? JSON.parse(process.env.AB_VARIANTS)
  : { shared: true, messages: false };

async function ab(page: Page, kind: string, blocks: number, block: number): Promise<void> {
  const r = await page.evaluate(
    ([v, k, b, s]) =>
      (globalThis as unknown as { ab(v: object, b: number, s: number, k: string): Promise<unknown> }).ab(
        v as object,
        b as number,
        s as number,
        k as string,
      ),
    [variants, kind, blocks, block] as const,
  );
  console.log(kind, JSON.stringify(r));
}

const dir = process.env.PROFILE_DIR ?? '/tmp';
const shared = process.env.SHARED !== '0';
const mergeWorker = process.env.MERGE_WORKER === undefined ? undefined : process.env.MERGE_WORKER !== '0';
const spinMs = process.env.SPIN_MS === undefined ? undefined : Number(process.env.SPIN_MS);
const n = Number(process.argv[2] ?? 100_000);
const awaited = Number(process.argv[3] ?? 20_000);
if (!haveChromium) process.exit(1);
const session = await startSession(
  {
    page: 'bench/profile-page.ts',
    worker: 'src/worker.ts',
    'merge-worker': 'src/merge-worker.ts',
    // $AB_LIBS (name=path,...): other versions' src/ folders (paths from packages/browser), each with
    // its index.ts served as /lib-<name>.js and its worker.ts as /worker-<name>.js, for ab() variants
    // with { "lib": "<name>" }
    ...Object.fromEntries(
      (process.env.AB_LIBS ?? '')
        .split(',')
        .filter((entry) => entry !== '')
        .flatMap((entry) => {
          const [name, path] = entry.split('=');
          return [
            [`lib-${name}`, `${path}/index.ts`],
            [`worker-${name}`, `${path}/worker.ts`],
          ];
        }),
    ),
  },
  { isolated: true },
);
try {
  const page = await session.open();
  page.on('console', (m) => console.log('[page]', m.text()));
  page.on('worker', (w) => w.on('console', (m) => console.log('[worker]', m.text())));
  if (process.env.BENCH_MODE === 'ab') {
    await ab(page, process.argv[2] ?? 'puts', Number(process.argv[3] ?? 10), Number(process.argv[4] ?? 2000));
  } else await profile(page);
} finally {
  await session.close();
}

async function profile(page: Page): Promise<void> {
  const cdp = await session.context.newCDPSession(page);
  const workers: string[] = [];
  let seq = 0;
  const waiters = new Map<number, (r: unknown) => void>();
  // The database worker (worker.js), not the flush helper or the merge worker it starts.
  cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string; url: string } }) => {
    if (e.targetInfo.type === 'worker' && e.targetInfo.url.endsWith('/worker.js')) workers.push(e.sessionId);
  });
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message);
    if (m.id !== undefined) waiters.get(m.id)?.(m);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const wsend = (method: string, params: object = {}) =>
    new Promise<{ result?: { profile?: unknown }; error?: unknown }>((resolve) => {
      const id = ++seq;
      waiters.set(id, resolve as (r: unknown) => void);
      cdp.send('Target.sendMessageToTarget', {
        sessionId: workers[workers.length - 1],
        message: JSON.stringify({ id, method, params }),
      });
    });
  const ev = <T>(expr: string) => page.evaluate(expr) as Promise<T>;
  const profiled = async <T>(label: string, expr: string): Promise<T> => {
    if (process.env.NOPROF) {
      const o = await ev<T>(expr);
      console.log(label, JSON.stringify(o));
      return o;
    }
    await wsend('Profiler.enable');
    await wsend('Profiler.setSamplingInterval', { interval: 100 });
    await wsend('Profiler.start');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const out = await ev<T>(expr);
    const w = await wsend('Profiler.stop');
    const p = (await cdp.send('Profiler.stop')) as { profile: unknown };
    writeFileSync(`${dir}/${label}-worker.cpuprofile`, JSON.stringify(w.result?.profile));
    writeFileSync(`${dir}/${label}-page.cpuprofile`, JSON.stringify(p.profile));
    console.log(label, JSON.stringify(out));
    return out;
  };
  await ev(`prof.open(${shared}, undefined, ${mergeWorker}, ${spinMs})`);
  console.log('workers attached', workers.length);
  console.log('fill', await ev(`prof.fill(${n})`));
  console.log('fill ends', JSON.stringify(await ev<{ now: number }>('prof.timeline()').then((t) => t.now)));
  console.log('after fill', JSON.stringify((await ev<{ levels?: unknown }>('prof.stats()')).levels ?? ''));
  await profiled('gets1', `prof.gets(${awaited}, 0)`);
  await profiled('gets2', `prof.gets(${awaited}, ${awaited})`);
  console.log('stats', JSON.stringify((await ev<{ levels?: unknown }>('prof.stats()')).levels ?? ''));
  console.log('timeline', JSON.stringify(await ev('prof.timeline()')));
  console.log('memory', JSON.stringify((await ev<{ memory?: unknown }>('prof.stats()')).memory ?? ''));
  await ev('prof.close()');
  await ev(`prof.open(${shared}, undefined, ${mergeWorker}, ${spinMs})`);
  await profiled('puts', `prof.puts(${awaited})`);
  await ev('prof.close()');
}
