import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./abstract-level-suite.mjs', import.meta.url));
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe("abstract-level's compliance suite", () => {
  it('passes every assertion against VelocityLevel', () => {
    // The suite runs against the built package; `npm test` builds before testing.
    expect(existsSync(built), 'packages/level/dist is missing: build first').toBe(true);
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 240_000 });
    const summary = /abstract-level compliance: (\d+) passed, (\d+) failed/.exec(run.stdout);
    if (summary === null || run.status !== 0) console.log(run.stdout.slice(-4000), run.stderr.slice(-2000));
    expect(summary).not.toBeNull();
    expect(Number(summary?.[1])).toBeGreaterThan(1000);
    expect(Number(summary?.[2])).toBe(0);
    expect(run.status).toBe(0);
  }, 300_000);
});
