import { describe, expect, it } from 'vitest';
import { LatencyRecorder, percentile, runBench, scramble, seededRandom, zipfian } from '../src/index.js';

describe('zipfian', () => {
  it('is deterministic for a seed and follows the skew', () => {
    const draw = (seed: number) => {
      const z = zipfian(1000, seededRandom(seed));
      return Array.from({ length: 50_000 }, () => z());
    };
    expect(draw(1)).toEqual(draw(1));
    const counts = new Array(1000).fill(0);
    for (const r of draw(2)) counts[r]++;
    // Rank 0 is drawn about twice as often as rank 1 and ten times as often as rank 9 (skew 0.99).
    expect(counts[0] / counts[1]).toBeGreaterThan(1.6);
    expect(counts[0] / counts[1]).toBeLessThan(2.5);
    expect(counts[0] / counts[9]).toBeGreaterThan(6);
    expect(counts[0]).toBeGreaterThan(counts[100] * 20);
    expect(Math.max(...draw(3))).toBeLessThan(1000);
  });

  it('scrambles ranks within the key space', () => {
    const seen = new Set(Array.from({ length: 100 }, (_, i) => scramble(i, 1000)));
    expect([...seen].every((k) => k >= 0 && k < 1000)).toBe(true);
    expect(seen.size).toBeGreaterThan(90);
  });
});

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 99.9)).toBe(100);
    expect(percentile(new Float64Array(0), 50)).toBe(0);
  });

  it('records beyond its capacity by sampling', () => {
    const r = new LatencyRecorder(100, seededRandom(1));
    for (let i = 1; i <= 10_000; i++) r.record(i);
    const [p50] = r.percentiles([50]);
    expect(p50).toBeGreaterThan(3000);
    expect(p50).toBeLessThan(7000);
  });
});

describe('runBench', () => {
  it('runs workloads on Velocity and memory-level, each in its own process', async () => {
    const report = await runBench({
      preset: 'small',
      scale: 0.02,
      engines: ['velocity', 'memory-level'],
      modes: ['typical', 'fast'],
      benchmarks: ['fillrandom', 'readrandom', 'readseq', 'ycsb-a'],
      budgetMs: 500,
    });
    expect(report.skipped).toEqual([]);
    expect(report.entries).toBe(200);
    expect(report.runs.map((r) => `${r.engine}/${r.mode}`)).toEqual([
      'velocity/typical',
      'velocity/fast',
      'memory-level/typical',
      'memory-level/fast',
    ]);
    for (const run of report.runs) {
      expect(Object.keys(run.results).sort()).toEqual(['fillrandom', 'readrandom', 'readseq', 'ycsb-a']);
      expect(run.results.readseq.ops).toBe(200);
      expect(run.results.readrandom.ops).toBe(200);
      expect(run.results.fillrandom.opsPerSecond).toBeGreaterThan(0);
      expect(run.peakRssBytes).toBeGreaterThan(0);
    }
    expect(report.runs[0].diskBytes).toBeGreaterThan(0);
    expect(report.runs[2].diskBytes).toBe(0);
  }, 120_000);
});
