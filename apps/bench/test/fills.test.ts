import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactionDebt, formatMarkdown, keyShape, parseLeveldbSstables, runBench } from '../src/index.js';
import { sampleLoopDelay } from '../src/loop-delay.js';

const MiB = 2 ** 20;
const FILLS = ['fillseq', 'fillrandom', 'fillsync', 'fillsync16', 'overwrite'];
/** Puts each fill makes at 2,000 entries. */
const FILL_OPS: Record<string, number> = { fillsync: 100, fillsync16: 1600 };

describe('fills', () => {
  it('write every entry even when the time box is far too short, and report what they left', async () => {
    // 2,000 entries take well over 1 ms per fill; reads in the same run stay time-boxed.
    const report = await runBench({
      preset: 'small',
      scale: 0.2,
      engines: ['velocity', 'memory-level'],
      modes: ['typical', 'fast'],
      benchmarks: [...FILLS, 'readrandom'],
      budgetMs: 1,
    });
    expect(report.skipped).toEqual([]);
    expect(report.entries).toBe(2000);
    for (const run of report.runs) {
      expect(Object.keys(run.results)).toEqual([...FILLS, 'readrandom']);
      for (const name of FILLS) {
        const x = run.results[name];
        expect(x.ops, `${run.engine} ${run.mode} ${name}`).toBe(FILL_OPS[name] ?? 2000);
        expect(x.extra?.settleSeconds).toBeGreaterThanOrEqual(0);
        expect(x.extra?.writeAmplification ?? 0).toBeGreaterThanOrEqual(0);
        if (run.engine === 'velocity') {
          expect(x.extra?.debtBytes).toBeGreaterThanOrEqual(0);
          expect(x.extra?.level0Files).toBeGreaterThanOrEqual(0);
        } else expect(x.extra?.debtBytes).toBeUndefined();
      }
    }
    const reads = report.runs.map((r) => r.results.readrandom.ops);
    expect(Math.min(...reads)).toBeLessThan(2000);
    for (const run of report.runs) {
      for (const name of FILLS) {
        const delay = run.results[name].loopDelay;
        expect(delay?.p99).toBeGreaterThanOrEqual(0);
        expect(delay?.max).toBeGreaterThanOrEqual(delay?.p99 ?? 0);
      }
    }
    const text = formatMarkdown(report);
    expect(text).toContain('| event-loop delay ms p99 / max |');
    expect(text).toContain('| after each fill |');
    expect(text).toContain('debt n/a');
    expect(text).toContain('velocity ÷ peer (fill + settle)');
  }, 120_000);

  it('run with random keys: reads find every present key and no absent one', async () => {
    const report = await runBench({
      preset: 'small',
      scale: 0.05,
      keys: 'random',
      engines: ['velocity', 'memory-level'],
      modes: ['fast'],
      benchmarks: ['fillseq', 'readrandom', 'readmissing'],
      budgetMs: 5000,
    });
    expect(report.keys).toBe('random');
    expect(report.skipped).toEqual([]);
    for (const run of report.runs) {
      expect(run.results.fillseq.ops).toBe(500);
      expect(run.results.readrandom.found).toBe(run.results.readrandom.ops);
      expect(run.results.readmissing.found).toBe(0);
    }
  }, 120_000);

  it('reject an unknown key shape', async () => {
    await expect(runBench({ preset: 'small', keys: 'uuid' as 'random' })).rejects.toThrow(
      /unknown key shape/,
    );
  });

  it('skip the engine:mode pairs asked, and say so', async () => {
    await expect(runBench({ preset: 'small', skip: ['lmdb'] })).rejects.toThrow(/engine:mode/);
    const report = await runBench({
      preset: 'small',
      scale: 0.01,
      engines: ['memory-level'],
      benchmarks: ['fillseq'],
      skip: ['memory-level:typical'],
    });
    expect(report.runs.map((r) => r.mode)).toEqual(['fast']);
    expect(report.skipped).toEqual([{ engine: 'memory-level', mode: 'typical', reason: 'not run (skip)' }]);
  });
});

describe('random keys', () => {
  it('are distinct, of the preset length, ascend with their index, and are reproducible', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 8, max: 32 }),
        fc.integer(),
        (n, size, seed) => {
          const keys = keyShape('random', n, size, seed);
          const again = keyShape('random', n, size, seed);
          let previous: Uint8Array | undefined;
          for (let i = 0; i < n; i++) {
            const k = keys.key(i);
            expect(k.length).toBe(size);
            expect(again.key(i)).toEqual(k);
            if (previous) expect(Buffer.compare(previous, k)).toBe(-1);
            previous = k;
          }
          expect(keys.key(n).length).toBe(size);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('look uniform: every byte position takes all values about equally often', () => {
    const n = 20_000;
    const keys = keyShape('random', n, 16, 5);
    for (const position of [0, 3, 7, 15]) {
      const counts = new Array<number>(16).fill(0);
      for (let i = 0; i < n; i++) counts[keys.key(i)[position] >> 4]++;
      for (const c of counts) expect(Math.abs(c - n / 16)).toBeLessThan(n / 16 / 5);
    }
  });

  it('have absent keys next to present ones', () => {
    const n = 1000;
    const keys = keyShape('random', n, 16, 9);
    const present = new Set(Array.from({ length: n }, (_, i) => Buffer.from(keys.key(i)).toString('hex')));
    for (let i = 0; i < n; i++) {
      const m = keys.missing(i);
      expect(present.has(Buffer.from(m).toString('hex'))).toBe(false);
      if (i > 0) expect(Buffer.compare(keys.key(i - 1), m)).toBe(-1);
      if (i < n - 1) expect(Buffer.compare(m, keys.key(i + 1))).toBe(-1);
    }
  });

  it('leave decimal keys as db_bench makes them', () => {
    const keys = keyShape('decimal', 100, 16);
    expect(Buffer.from(keys.key(42)).toString()).toBe('0000000000000042');
    expect(Buffer.from(keys.missing(42)).toString()).toBe('000000000000004.');
  });
});

describe('compaction debt', () => {
  it('counts level 0 from its trigger on and bytes over each level target, never the last level', () => {
    const shape = (...levels: [number, number][]) => levels.map(([files, bytes]) => ({ files, bytes }));
    expect(compactionDebt(shape([3, 6 * MiB], [5, 10 * MiB], [0, 0]))).toEqual({ bytes: 0, level0Files: 3 });
    expect(compactionDebt(shape([4, 8 * MiB], [7, 14 * MiB], [60, 150 * MiB], [0, 0]))).toEqual({
      bytes: 8 * MiB + 4 * MiB + 50 * MiB,
      level0Files: 4,
    });
    expect(compactionDebt(shape([0, 0], [0, 0], [99, 5000 * MiB])).bytes).toBe(0);
    expect(compactionDebt([])).toEqual({ bytes: 0, level0Files: 0 });
  });

  it("uses an engine's own level targets where it gives them", () => {
    const levels = [
      { files: 2, bytes: 20 * MiB },
      { files: 30, bytes: 66 * MiB, targetBytes: 64 * MiB },
      { files: 120, bytes: 600 * MiB, targetBytes: 640 * MiB },
      { files: 0, bytes: 0, targetBytes: 6400 * MiB },
    ];
    expect(compactionDebt(levels)).toEqual({ bytes: 2 * MiB, level0Files: 2 });
    // The same shape under LevelDB's 10 MiB level 1 would owe 56 MiB there.
    expect(compactionDebt(levels.map(({ files, bytes }) => ({ files, bytes }))).bytes).toBe(
      56 * MiB + 500 * MiB,
    );
  });

  it("parses LevelDB's sstables property", () => {
    const text = [
      '--- level 0 ---',
      " 32:3733673['\\x00\\x00' @ 231315 : 1 .. '\\xff' @ 207102 : 1]",
      " 21:1000['a' @ 1 : 1 .. 'b' @ 2 : 1]",
      '--- level 1 ---',
      '--- level 2 ---',
      " 7:2097152['c' @ 3 : 1 .. 'd' @ 4 : 1]",
      '',
    ].join('\n');
    const levels = parseLeveldbSstables(text);
    expect(levels).toHaveLength(7);
    expect(levels.slice(0, 3)).toEqual([
      { files: 2, bytes: 3734673 },
      { files: 0, bytes: 0 },
      { files: 1, bytes: 2097152 },
    ]);
  });
});

describe('event-loop delay', () => {
  it('sees a loop held by a chain of awaits that never yields', async () => {
    const loop = sampleLoopDelay();
    const started = performance.now();
    while (performance.now() - started < 60) await Promise.resolve();
    const delay = loop.stop();
    expect(delay.max).toBeGreaterThanOrEqual(55);
    expect(delay.p99).toBeLessThanOrEqual(delay.max);
  });

  it('stays small while the loop turns freely', async () => {
    const loop = sampleLoopDelay();
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(loop.stop().max).toBeLessThan(50);
  });
});
