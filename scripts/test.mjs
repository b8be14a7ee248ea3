#!/usr/bin/env node
// Runs the default vitest project and then prints the plain closing line `Tests: N passed, N failed,
// N skipped` that CI reads, taken from vitest's JSON report. Exits with vitest's own exit code.
// Extra arguments are passed to vitest (for example a path filter).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const report = join('artifacts', 'vitest-report.json');
mkdirSync('artifacts', { recursive: true });
const args = [
  'vitest',
  'run',
  '--project',
  'unit',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const result = spawnSync('npx', ['--no-install', ...args], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
});

if (existsSync(report)) {
  const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(
    readFileSync(report, 'utf8'),
  );
  console.log(
    `Tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`,
  );
} else {
  console.log('Tests: 0 passed, 1 failed (vitest produced no report)');
}
process.exit(result.status ?? 1);
