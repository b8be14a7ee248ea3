import { expect, it } from 'vitest';
import { LeveledCompaction, simulate, TieredCompaction } from '../src/index.js';

it('runs the README simulator example (smaller)', () => {
  const workload = { pattern: 'uniform', writes: 30_000, keySpace: 10_000, entrySize: 116 } as const;
  const results = [new LeveledCompaction({ maxBytesForLevelBase: 1 << 20 }), new TieredCompaction()].map(
    (s) => simulate(s, workload, { memtableBytes: 128 * 1024 }),
  );
  for (const r of results) {
    expect(r.writeAmplification).toBeGreaterThanOrEqual(1);
    expect(r.spaceAmplification).toBeGreaterThanOrEqual(1);
    expect(r.samples.length).toBeGreaterThan(0);
  }
  expect(results.map((r) => r.strategy)).toEqual(['leveled', 'tiered']);
});
