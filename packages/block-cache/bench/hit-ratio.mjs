// Hit ratio and speed of each cache policy on synthetic traces. Run after build: npm run bench
import { LruCache, S3FifoCache, scanMixTrace, simulateHitRatio, zipfTrace } from '../dist/index.js';

const policies = [
  { name: 'lru', create: (capacity) => new LruCache({ capacity }) },
  { name: 's3-fifo', create: (capacity) => new S3FifoCache({ capacity }) },
];
const capacity = 64 * 4096; // about 64 blocks of 4 KiB... scaled with the key space below
const traces = [
  ...[0.7, 0.9, 0.99, 1.2].map((skew) => ({
    name: `zipf ${skew}`,
    trace: zipfTrace(100_000, skew, 400_000),
  })),
  { name: 'hot keys + scans', trace: scanMixTrace(5_000, 20_000, 400_000) },
];
const sizes = [capacity * 16, capacity * 64];
console.log('trace'.padEnd(18), 'cache'.padEnd(8), policies.map((p) => p.name.padStart(16)).join(''));
for (const { name, trace } of traces) {
  for (const size of sizes) {
    const results = simulateHitRatio(policies, trace, size);
    const cells = results.map((r) =>
      `${(r.hitRatio * 100).toFixed(2)}% ${(r.opsPerSecond / 1e6).toFixed(1)}M/s`.padStart(16),
    );
    console.log(name.padEnd(18), `${(size / 2 ** 20).toFixed(0)}MiB`.padEnd(8), cells.join(''));
  }
}
