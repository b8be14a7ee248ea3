// Write amplification, space amplification and sorted runs of each strategy on synthetic workloads,
// simulated on file metadata alone. Run after build: npm run bench [-- --json out.json]
import { writeFileSync } from 'node:fs';
import { LazyLevelingCompaction, LeveledCompaction, TieredCompaction, simulate } from '../dist/index.js';

const strategies = [
  () => new LeveledCompaction({ maxBytesForLevelBase: 4 << 20, targetFileSize: 1 << 20 }),
  () => new TieredCompaction(),
  () => new LazyLevelingCompaction({ targetFileSize: 1 << 20 }),
];
const writes = Number(process.env.WRITES ?? 300_000);
const workloads = ['uniform', 'sequential', 'zipfian'].map((pattern) => ({
  pattern,
  writes,
  keySpace: writes / 3,
  entrySize: 116,
}));
const results = [];
console.log(
  'workload'.padEnd(12),
  'strategy'.padEnd(14),
  'write amp'.padStart(10),
  'space amp'.padStart(10),
  'max runs'.padStart(9),
  'compactions'.padStart(12),
);
for (const workload of workloads) {
  for (const make of strategies) {
    const r = simulate(make(), workload, { memtableBytes: 512 * 1024 });
    results.push(r);
    console.log(
      workload.pattern.padEnd(12),
      r.strategy.padEnd(14),
      r.writeAmplification.toFixed(2).padStart(10),
      r.spaceAmplification.toFixed(2).padStart(10),
      String(r.maxSortedRuns).padStart(9),
      String(r.compactions).padStart(12),
    );
  }
}
const out = process.argv.indexOf('--json');
if (out > 0) writeFileSync(process.argv[out + 1], JSON.stringify(results, null, 2));
