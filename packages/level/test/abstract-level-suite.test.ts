// Runs abstract-level's own compliance suite (tape-based) against VelocityLevel inside this vitest
// process, on the TypeScript sources, so that the coverage of `npm test` counts what the suite
// exercises. The suite registers its tests on a private tape harness; every assertion it makes is
// collected from the harness's object stream, and this test fails when any of them failed.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VelocityLevel } from '../src/index.js';
import tape from 'tape';
import { afterAll, describe, expect, it } from 'vitest';

// abstract-level/test is CommonJS without typings; the bare folder import fails from ESM.
const suite = createRequire(import.meta.url)('abstract-level/test/index.js') as (options: {
  test: tape.Harness;
  factory: (options?: object) => VelocityLevel;
}) => void;

interface Row {
  type: string;
  name: string;
  ok?: boolean;
  operator?: string;
  expected?: unknown;
  actual?: unknown;
}

const root = mkdtempSync(join(tmpdir(), 'velocity-level-suite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function runSuite(): Promise<{ passed: number; failed: string[] }> {
  const harness = tape.createHarness();
  // The object stream reports only the tests registered after it was created; it starts running them
  // on the next tick, one after the other.
  const stream = harness.createStream({ objectMode: true });
  let counter = 0;
  suite({
    test: harness,
    factory: (options) =>
      new VelocityLevel(join(root, `db-${++counter}`), { memtableSize: 64 * 1024, ...options }),
  });
  return new Promise((resolve) => {
    let passed = 0;
    const failed: string[] = [];
    let current = '';
    stream.on('data', (row: Row) => {
      if (row.type === 'test') current = row.name;
      if (row.type !== 'assert') return;
      if (row.ok) passed++;
      else {
        failed.push(
          `[${current}] ${row.name} (${row.operator}) expected ${JSON.stringify(row.expected)} actual ${JSON.stringify(row.actual)}`,
        );
      }
    });
    harness.onFinish(() => resolve({ passed, failed }));
  });
}

describe("abstract-level's compliance suite", () => {
  it('passes every assertion against VelocityLevel', async () => {
    const { passed, failed } = await runSuite();
    console.log(`abstract-level compliance: ${passed} passed, ${failed.length} failed`);
    expect(failed.slice(0, 50)).toEqual([]);
    expect(passed).toBeGreaterThan(1000);
  }, 300_000);
});
