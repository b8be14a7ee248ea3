import {
  type CompactionStrategy,
  LazyLevelingCompaction,
  LeveledCompaction,
  type LevelsView,
  TieredCompaction,
} from '@velocity/compaction';
import { describe, expect, it } from 'vitest';
import { checkTask, compactionStrategySuite } from '../src/index.js';

compactionStrategySuite(
  'LeveledCompaction',
  () =>
    new LeveledCompaction({ level0FileTrigger: 2, maxBytesForLevelBase: 4 << 20, targetFileSize: 1 << 20 }),
);
compactionStrategySuite('LeveledCompaction (defaults)', () => new LeveledCompaction());
compactionStrategySuite('TieredCompaction', () => new TieredCompaction());
compactionStrategySuite(
  'TieredCompaction (narrow)',
  () => new TieredCompaction({ minMergeWidth: 2, maxRuns: 3 }),
);
compactionStrategySuite('LazyLevelingCompaction', () => new LazyLevelingCompaction());
compactionStrategySuite(
  'LazyLevelingCompaction (T = 2, 3 levels, few runs)',
  () => new LazyLevelingCompaction({ sizeRatio: 2, numLevels: 3, maxRuns: 2, targetFileSize: 1 << 20 }),
);

describe('the strategy suite can fail', () => {
  it('catches a strategy that leaves overlapping files in its output level', () => {
    const file = (id: number, lo: number, hi: number) => ({
      id,
      size: 1,
      entries: 1,
      tombstones: 0,
      smallestKey: Uint8Array.of(lo),
      largestKey: Uint8Array.of(hi),
      smallestSequence: id,
      largestSequence: id,
    });
    const view: LevelsView = {
      levels: [[file(3, 0, 10)], [file(1, 5, 6)], []],
      compare: (a, b) => a[0] - b[0],
      busy: new Set(),
    };
    const broken: CompactionStrategy = {
      name: 'broken',
      numLevels: 3,
      pickCompaction: (v) => ({
        inputs: [{ level: 0, files: v.levels[0] }],
        outputLevel: 1,
        targetFileSize: 1,
        bottommost: false,
        reason: 'x',
      }),
    };
    const task = broken.pickCompaction(view);
    expect(() => checkTask(view, task!)).toThrowError(/overlaps the inputs/);
  });
});
