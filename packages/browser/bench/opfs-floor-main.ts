// Prints floor costs measured in Chromium (opfs-floor-page.ts, opfs-floor-worker.ts), three times.
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
  for (let k = 0; k < 3; k++) {
    const r = (await page.evaluate(
      (x) => (globalThis as unknown as { runFloor(n: number): Promise<Record<string, number>> }).runFloor(x),
      n,
    )) as Record<string, number>;
    console.log(
      Object.entries(r)
        .map(([a, b]) => `${a} ${b.toFixed(1)}µs`)
        .join(', '),
    );
  }
} finally {
  await session.close();
}
