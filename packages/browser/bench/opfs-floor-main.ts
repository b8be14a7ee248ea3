// Prints floor costs measured in Chromium (opfs-floor-page.ts, opfs-floor-worker.ts), three times
// with the page's thread idle and three times with it busy, alternating.
// Usage: node bench/run.mjs floor [calls]
import { haveChromium, startSession } from '../test/harness/browser.js';
const n = Number(process.argv[2] ?? 5000);
if (!haveChromium) process.exit(1);
const session = await startSession(
  { page: 'bench/opfs-floor-page.ts', 'floor-worker': 'bench/opfs-floor-worker.ts' },
  { isolated: true },
);
try {
  const page = await session.open();
  for (let k = 0; k < 6; k++) {
    const busy = k % 2 === 1;
    const r = (await page.evaluate(
      ([x, b]) =>
        (
          globalThis as unknown as { runFloor(n: number, b: boolean): Promise<Record<string, number>> }
        ).runFloor(x as number, b as boolean),
      [n, busy] as const,
    )) as Record<string, number>;
    delete r.busyChecksum;
    console.log(
      busy ? 'page busy:' : 'page idle:',
      Object.entries(r)
        .map(([a, b]) => `${a} ${b.toFixed(1)}µs`)
        .join(', '),
    );
  }
} finally {
  await session.close();
}
