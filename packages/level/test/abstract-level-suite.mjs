#!/usr/bin/env node
// Runs abstract-level's own compliance suite against VelocityLevel (the built package in dist/), each
// database in a fresh temporary directory, and prints the plain closing line `N passed, N failed`
// (assertions). Exits non-zero when any assertion fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import suite from 'abstract-level/test/index.js';
import tape from 'tape';
import { VelocityLevel } from '../dist/index.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-level-suite-'));
let counter = 0;
let passed = 0;
let failed = 0;
const failures = [];

const stream = tape.createStream({ objectMode: true });
let currentTest = '';
stream.on('data', (row) => {
  if (row.type === 'test') currentTest = row.name;
  if (row.type !== 'assert') return;
  if (row.ok) passed++;
  else {
    failed++;
    failures.push(
      `[${currentTest}] ${row.name} (${row.operator}) expected ${JSON.stringify(row.expected)} actual ${JSON.stringify(row.actual)}`,
    );
  }
});
tape.onFinish(() => {
  for (const f of failures.slice(0, 50)) console.log(`not ok: ${f}`);
  rmSync(root, { recursive: true, force: true });
  console.log(`abstract-level compliance: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
});

suite({
  test: tape,
  factory: (options) =>
    new VelocityLevel(join(root, `db-${++counter}`), { memtableSize: 64 * 1024, ...options }),
});
