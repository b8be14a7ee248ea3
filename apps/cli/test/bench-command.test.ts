// `velocity bench` passes the suite's options through (the suite itself is tested in apps/bench).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'velocity-cli-bench-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function velocity(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('velocity bench', () => {
  it('runs with random keys, skips the pairs asked, repeats, and writes the report', () => {
    const json = join(root, 'report.json');
    const r = velocity(
      'bench',
      '--preset',
      'small',
      '--scale',
      '0.02',
      '--engines',
      'memory-level',
      '--mode',
      'typical,fast',
      '--skip',
      'memory-level:typical',
      '--benchmarks',
      'fillseq,readrandom',
      '--keys',
      'random',
      '--repeat',
      '2',
      '--budget-ms',
      '200',
      '--json',
      json,
    );
    expect(r.err).not.toContain('Error');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.keys).toBe('random');
    expect(report.repeat).toBe(2);
    expect(report.skipped.map((s: { engine: string; mode: string }) => `${s.engine}:${s.mode}`)).toEqual([
      'memory-level:typical',
    ]);
    expect(report.runs.map((run: { mode: string }) => run.mode)).toEqual(['fast']);
    expect(report.runs[0].results.fillseq.ops).toBe(200);
  }, 180_000);

  it('refuses an unknown key shape', () => {
    const r = velocity('bench', '--preset', 'small', '--keys', 'uuid', '--engines', 'memory-level');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('unknown key shape');
  });
});
