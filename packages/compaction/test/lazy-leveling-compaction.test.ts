import { describe, expect, it } from 'vitest';
import {
  type FileMeta,
  LazyLevelingCompaction,
  LeveledCompaction,
  type LevelsView,
  simulate,
  TieredCompaction,
} from '../src/index.js';

let nextId = 1;
/** A file covering user keys [lo, hi] (one byte each) of `size` bytes; later calls make newer files. */
function file(lo: number, hi: number, size: number): FileMeta {
  const id = nextId++;
  return {
    id,
    size,
    entries: size,
    tombstones: 0,
    smallestKey: Uint8Array.of(lo),
    largestKey: Uint8Array.of(hi),
    smallestSequence: id,
    largestSequence: id,
  };
}

/** A view of three levels (L0 given newest first, as the engine orders it). */
function view(levels: FileMeta[][], busy: number[] = []): LevelsView {
  return { levels, compare: (a, b) => a[0] - b[0], busy: new Set(busy) };
}

const ids = (files: readonly FileMeta[]) => files.map((f) => f.id);

describe('LazyLevelingCompaction', () => {
  it('refuses fewer than 3 levels and a size ratio below 2', () => {
    expect(() => new LazyLevelingCompaction({ numLevels: 2 })).toThrow(RangeError);
    expect(() => new LazyLevelingCompaction({ sizeRatio: 1 })).toThrow(/sizeRatio/);
    expect(() => new LazyLevelingCompaction({ sizeRatio: Number.NaN })).toThrow(/sizeRatio/);
    expect(new LazyLevelingCompaction().name).toBe('lazy-leveling');
  });

  it('merges the runs above the last level into it once they reach 1/T of it, with only the files they overlap', () => {
    const strategy = new LazyLevelingCompaction({ numLevels: 3, sizeRatio: 4 });
    const bottom = [file(0, 9, 100), file(10, 19, 100), file(20, 29, 100), file(30, 39, 100)];
    const middle = [file(12, 14, 60)];
    const l0 = [file(11, 13, 40)];
    const task = strategy.pickCompaction(view([l0, middle, bottom]));
    expect(task?.outputLevel).toBe(2);
    expect(task?.bottommost).toBe(true);
    expect(task?.inputs.map((i) => [i.level, ids(i.files)])).toEqual([
      [0, ids(l0)],
      [1, ids(middle)],
      [2, [bottom[1].id]],
    ]);
    // Just below 1/T: no work (one run above is not enough to tier).
    expect(strategy.pickCompaction(view([[file(11, 13, 99)], [], bottom]))).toBeUndefined();
  });

  it('tiers T runs of similar size above the last level into the deepest free level', () => {
    const strategy = new LazyLevelingCompaction({ numLevels: 4, sizeRatio: 3 });
    const bottom = [file(0, 200, 10_000)];
    const l0 = [file(5, 9, 10), file(1, 3, 10), file(2, 8, 11)].reverse();
    const task = strategy.pickCompaction(view([l0, [], [], bottom]));
    expect(task?.reason).toBe('3 runs of similar size');
    expect(task?.outputLevel).toBe(2);
    expect(task?.inputs).toEqual([{ level: 0, files: l0 }]);
    expect(task?.bottommost).toBe(false);
  });

  it('merges a young tree whose oldest run is not in the last level into the last level', () => {
    const strategy = new LazyLevelingCompaction({ numLevels: 3 });
    const l0 = [file(0, 5, 10), file(3, 9, 10)].reverse();
    const task = strategy.pickCompaction(view([l0, [], []]));
    expect(task?.outputLevel).toBe(2);
    expect(task?.inputs).toEqual([{ level: 0, files: l0 }]);
    expect(task?.bottommost).toBe(true);
  });

  it('merges the newest runs when there are too many of different sizes', () => {
    const strategy = new LazyLevelingCompaction({ numLevels: 5, sizeRatio: 4, maxRuns: 4 });
    const bottom = [file(0, 200, 100_000)];
    // Newest first: sizes growing fast, so no run is similar to the ones before it.
    const l0 = [file(0, 1, 64), file(0, 1, 16), file(0, 1, 4), file(0, 1, 1)].reverse();
    const task = strategy.pickCompaction(view([l0, [], [], [], bottom]));
    expect(task?.reason).toBe('5 sorted runs > 4');
    expect(task?.inputs).toEqual([{ level: 0, files: l0.slice(0, 2) }]);
    expect(task?.outputLevel).toBe(0);
    expect(task?.targetFileSize).toBe(Number.MAX_SAFE_INTEGER);
    // With as many runs allowed as the tree has, nothing to do.
    expect(
      new LazyLevelingCompaction({ numLevels: 5, maxRuns: 5 }).pickCompaction(view([l0, [], [], [], bottom])),
    ).toBeUndefined();
  });

  it('keeps tiering while the last level is busy, and waits while the runs it needs are busy', () => {
    const strategy = new LazyLevelingCompaction({ numLevels: 4, sizeRatio: 2 });
    const bottom = [file(0, 200, 100)];
    const older = [file(0, 9, 30)];
    const l0 = [file(0, 5, 10), file(3, 9, 10)].reverse();
    const busyBottom = strategy.pickCompaction(view([l0, [], older, bottom], [bottom[0].id]));
    expect(busyBottom?.reason).toBe('2 runs of similar size');
    expect(busyBottom?.outputLevel).toBe(1);
    expect(strategy.pickCompaction(view([l0, [], older, bottom], [l0[0].id]))).toBeUndefined();
  });

  it('range compaction merges everything into the last level, then has nothing to do', () => {
    const strategy = new LazyLevelingCompaction({ numLevels: 3 });
    expect(strategy.pickRangeCompaction(view([[], [], []]))).toBeUndefined();
    const lone = [file(0, 9, 10)];
    const moved = strategy.pickRangeCompaction(view([[], lone, []]));
    expect(moved).toMatchObject({ outputLevel: 2, bottommost: true, inputs: [{ level: 1, files: lone }] });
    expect(strategy.pickRangeCompaction(view([[], lone, []], [lone[0].id]))).toBeUndefined();
    expect(strategy.pickRangeCompaction(view([[], [], lone]))).toBeUndefined();
    const all = strategy.pickRangeCompaction(view([[file(0, 3, 1)], [], lone]));
    expect(all?.outputLevel).toBe(2);
  });

  it('slows and stops writes by the number of sorted runs', () => {
    const strategy = new LazyLevelingCompaction({ numLevels: 3, slowdownRuns: 2, stopRuns: 3 });
    const one = [file(0, 1, 1)];
    expect(strategy.writePressure(view([one, [], []]))).toBe('ok');
    expect(strategy.writePressure(view([[file(0, 1, 1), ...one], [], []]))).toBe('slowdown');
    expect(strategy.writePressure(view([[file(0, 1, 1), ...one], [], [file(0, 1, 1)]]))).toBe('stop');
  });

  it('writes less than leveling with the same ratio and keeps space closer to 1 than tiering (simulated)', () => {
    const workload = { pattern: 'uniform', writes: 100_000, keySpace: 50_000, entrySize: 100 } as const;
    const options = { memtableBytes: 64 * 1024 };
    const leveled = simulate(
      new LeveledCompaction({
        maxBytesForLevelBase: 256 << 10,
        levelMultiplier: 4,
        targetFileSize: 64 << 10,
      }),
      workload,
      options,
    );
    const tiered = simulate(new TieredCompaction(), workload, options);
    const lazy = simulate(new LazyLevelingCompaction({ targetFileSize: 64 << 10 }), workload, options);
    expect(lazy.writeAmplification).toBeLessThan(leveled.writeAmplification);
    expect(lazy.spaceAmplification).toBeLessThan(tiered.spaceAmplification);
  });
});
