import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatMarkdown,
  formatReport,
  keyOf,
  LatencyRecorder,
  medianRun,
  percentile,
  runBench,
  scramble,
  seededRandom,
  zipfian,
} from '../src/index.js';

const draws = (n: number, seed: number, count: number, skew = 0.99) => {
  const next = zipfian(n, seededRandom(seed), skew);
  return Array.from({ length: count }, next);
};

describe('zipfian', () => {
  it('is deterministic for a seed and stays within [0, n)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer(), (n, seed) => {
        const a = draws(n, seed, 200);
        expect(a).toEqual(draws(n, seed, 200));
        for (const r of a) expect(Number.isInteger(r) && r >= 0 && r < n).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('draws ranks in proportion to 1/(rank+1)^skew (within 15% per bucket of ranks)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(0.5, 0.8, 0.99), (seed, skew) => {
        const n = 1000;
        const count = 100_000;
        const counts = new Array<number>(n).fill(0);
        for (const r of draws(n, seed, count, skew)) counts[r]++;
        const weights = Array.from({ length: n }, (_, r) => 1 / (r + 1) ** skew);
        const total = weights.reduce((a, b) => a + b, 0);
        const sum = (xs: number[], from: number, to: number) => xs.slice(from, to).reduce((a, b) => a + b, 0);
        for (const [from, to] of [
          [0, 1],
          [1, 2],
          [2, 10],
          [10, 100],
          [100, 1000],
        ]) {
          const ratio = sum(counts, from, to) / count / (sum(weights, from, to) / total);
          expect(ratio).toBeGreaterThan(0.85);
          expect(ratio).toBeLessThan(1.15);
        }
      }),
      { numRuns: 6 },
    );
  });

  it('different seeds give different sequences', () => {
    expect(draws(1000, 1, 100)).not.toEqual(draws(1000, 2, 100));
  });

  it('rejects a bad size or skew', () => {
    expect(() => zipfian(0, Math.random)).toThrow(RangeError);
    expect(() => zipfian(10, Math.random, 1)).toThrow(RangeError);
  });

  it('scrambles ranks within the key space', () => {
    const seen = new Set(Array.from({ length: 100 }, (_, i) => scramble(i, 1000)));
    expect([...seen].every((k) => k >= 0 && k < 1000)).toBe(true);
    expect(seen.size).toBeGreaterThan(90);
  });
});

describe('keys', () => {
  it('are fixed-width decimal, so byte order is numeric order', () => {
    fc.assert(
      fc.property(fc.nat(10 ** 9), fc.nat(10 ** 9), (a, b) => {
        const ka = keyOf(a, 16);
        const kb = keyOf(b, 16);
        expect(ka.length).toBe(16);
        expect(Buffer.compare(ka, kb)).toBe(Math.sign(a - b));
      }),
    );
    expect(Buffer.from(keyOf(42, 16)).toString()).toBe('0000000000000042');
  });
});

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 99.9)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(new Float64Array(0), 50)).toBe(0);
    expect(() => percentile(sorted, 101)).toThrow(RangeError);
  });

  it('matches a sort-based definition on any input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (values, p) => {
          const sorted = [...values].sort((a, b) => a - b);
          const x = percentile(sorted, p);
          // At least p% of the values are <= x, and fewer than p% are < x.
          expect(sorted.filter((v) => v <= x).length).toBeGreaterThanOrEqual(
            (p / 100) * sorted.length - 1e-9,
          );
          expect(sorted.filter((v) => v < x).length).toBeLessThan(Math.max(1, (p / 100) * sorted.length));
        },
      ),
    );
  });

  it('keeps every latency below capacity and the exact maximum', () => {
    const r = new LatencyRecorder(1000, seededRandom(1));
    for (let i = 1; i <= 1000; i++) r.record(i);
    expect(r.percentiles([50, 99, 99.9])).toEqual([500, 990, 999]);
    expect(r.max).toBe(1000);
    expect(r.recorded).toBe(1000);
  });

  it('samples beyond its capacity without losing the shape', () => {
    const r = new LatencyRecorder(1000, seededRandom(1));
    for (let i = 1; i <= 100_000; i++) r.record(i);
    const [p50, p99] = r.percentiles([50, 99]);
    expect(p50).toBeGreaterThan(45_000);
    expect(p50).toBeLessThan(55_000);
    expect(p99).toBeGreaterThan(97_000);
    expect(r.max).toBe(100_000);
  });
});

describe('medianRun', () => {
  it('takes, per benchmark, the run with the median ops/s, and medians of the rest', () => {
    const run = (ops: number, rss: number) => ({
      engine: 'velocity',
      mode: 'fast' as const,
      results: {
        readrandom: { ops, seconds: 1, opsPerSecond: ops, p50: ops / 1000, p99: 1, p999: 1, max: 1 },
      },
      peakRssBytes: rss,
      heap10kBytes: 1,
      diskBytes: 2,
      settleSeconds: 0,
      writeAmplification: 3,
      writeAmplificationSource: 'db.stats().bytesWritten' as const,
      osWriteAmplification: 4,
    });
    const merged = medianRun([run(300, 10), run(100, 30), run(200, 20)]);
    expect(merged.results.readrandom.opsPerSecond).toBe(200);
    expect(merged.results.readrandom.p50).toBe(0.2);
    expect(merged.peakRssBytes).toBe(20);
    expect(medianRun([run(5, 5)]).results.readrandom.opsPerSecond).toBe(5);
  });
});

describe('runBench', () => {
  it('runs two workloads on Velocity and memory-level, each in its own process', async () => {
    const events: string[] = [];
    const report = await runBench(
      {
        preset: 'small',
        scale: 0.02,
        engines: ['velocity', 'memory-level'],
        modes: ['typical', 'fast'],
        benchmarks: ['fillrandom', 'readrandom'],
        budgetMs: 2000,
      },
      (p) => events.push(`${p.job}/${p.jobs} ${p.engine} ${p.mode} ${p.step}`),
    );
    expect(report.skipped).toEqual([]);
    expect(report).toMatchObject({ preset: 'small', entries: 200, keySize: 16, valueSize: 100 });
    expect(report.runs.map((r) => `${r.engine}/${r.mode}`)).toEqual([
      'velocity/typical',
      'velocity/fast',
      'memory-level/typical',
      'memory-level/fast',
    ]);
    for (const run of report.runs) {
      expect(Object.keys(run.results)).toEqual(['fillrandom', 'readrandom']);
      for (const x of Object.values(run.results)) {
        expect(x.ops).toBe(200);
        for (const v of [x.seconds, x.opsPerSecond, x.p50, x.p99, x.p999, x.max])
          expect(v).toBeGreaterThan(0);
        expect(x.p50).toBeLessThanOrEqual(x.p99);
        expect(x.p99).toBeLessThanOrEqual(x.p999);
        expect(x.p999).toBeLessThanOrEqual(x.max);
      }
      expect(run.results.readrandom.found).toBe(200);
      expect(run.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
      expect(run.heap10kBytes).toBeGreaterThanOrEqual(0);
      expect(run.writeAmplification).toBeGreaterThanOrEqual(0);
    }
    const [velocity, , memory] = report.runs;
    expect(velocity.diskBytes).toBeGreaterThan(0);
    expect(velocity.writeAmplificationSource).toBe('db.stats().bytesWritten');
    expect(memory.diskBytes).toBe(0);
    expect(events).toContain('1/4 velocity typical fillrandom');
    expect(events).toContain('4/4 memory-level fast done');
    const text = formatReport(report);
    expect(text).toContain('velocity ÷ peer');
    expect(formatMarkdown(report)).toContain('| readrandom |');
  }, 120_000);

  it('rejects unknown presets, engines and benchmarks', async () => {
    await expect(runBench({ preset: 'huge' })).rejects.toThrow(/unknown preset/);
    await expect(runBench({ preset: 'small', engines: ['nope'] })).rejects.toThrow(/unknown engines/);
    await expect(runBench({ preset: 'small', benchmarks: ['nope'] })).rejects.toThrow(/unknown benchmarks/);
    await expect(runBench({ preset: 'small', scale: Number.NaN })).rejects.toThrow(/scale must be/);
    await expect(runBench({ preset: 'small', repeat: 0 })).rejects.toThrow(/repeat must be/);
  });
});
