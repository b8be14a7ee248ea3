// Runs ipc-page.ts in headless Chromium on a cross-origin-isolated page and prints the microseconds
// per round trip of each way for the page to talk to a worker. Usage: node bench/run.mjs ipc [n]
import { haveChromium, startSession } from '../test/harness/browser.js';

const n = Number(process.argv[2] ?? 20_000);
if (!haveChromium) process.exit(1);
for (const isolated of [false, true]) {
  const session = await startSession(
    { page: 'bench/ipc-page.ts', 'ipc-worker': 'bench/ipc-worker.ts' },
    { isolated },
  );
  try {
    const page = await session.open();
    page.on('console', (m) => console.log('[page]', m.text()));
    const ms = (await page.evaluate(
      (k) => (globalThis as unknown as { runIpc(n: number): Promise<Record<string, number>> }).runIpc(k),
      n,
    )) as Record<string, number>;
    for (const [k, v] of Object.entries(ms))
      console.log(`${isolated ? 'isolated' : 'plain'} ${k}: ${(v * 1000).toFixed(1)} µs`);
  } finally {
    await session.close();
  }
}
