#!/usr/bin/env node
// Runs the default vitest project with V8 coverage over packages/*/src, prints the coverage of each
// package (lines and branches, from vitest's json-summary report), and then the plain closing line
// `Tests: N passed, N failed, N skipped` that CI reads, taken from vitest's JSON report. Exits with
// vitest's own exit code, which is non-zero when a test failed or a package fell below its coverage
// floor (the floors are in vitest.config.ts).
// Extra arguments are passed to vitest (for example a path filter); with any, coverage is only
// collected when they include `--coverage`, since the floors hold for the whole run only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const report = join('artifacts', 'vitest-report.json');
const coverageSummary = join('artifacts', 'coverage', 'coverage-summary.json');
mkdirSync('artifacts', { recursive: true });
rmSync(report, { force: true });
rmSync(coverageSummary, { force: true });
const extra = process.argv.slice(2);
const args = [
  'vitest',
  'run',
  '--project',
  'unit',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...(extra.length === 0 ? ['--coverage'] : extra),
];
const result = spawnSync('npx', ['--no-install', ...args], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
});

if (existsSync(coverageSummary)) printCoverage(JSON.parse(readFileSync(coverageSummary, 'utf8')));

if (existsSync(report)) {
  const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(
    readFileSync(report, 'utf8'),
  );
  if (numFailedTests === 0 && result.status !== 0) {
    console.log('vitest failed with no failed test: see its ERROR lines above (a coverage floor?)');
  }
  console.log(
    `Tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`,
  );
} else {
  console.log('Tests: 0 passed, 1 failed (vitest produced no report)');
}
process.exit(result.status ?? 1);

/** Prints lines and branches covered per package, summed over the files of its `src/`. */
function printCoverage(summary) {
  const packages = new Map();
  for (const [file, data] of Object.entries(summary)) {
    if (file === 'total') continue;
    const parts = relative(process.cwd(), file).split(sep);
    if (parts[0] !== 'packages') continue;
    const sums = packages.get(parts[1]) ?? { lines: [0, 0], branches: [0, 0] };
    for (const kind of ['lines', 'branches']) {
      sums[kind][0] += data[kind].covered;
      sums[kind][1] += data[kind].total;
    }
    packages.set(parts[1], sums);
  }
  const pct = ([covered, total]) => (total === 0 ? 100 : (100 * covered) / total).toFixed(2).padStart(7);
  console.log(`\nCoverage of packages/*/src   lines  branches`);
  for (const [name, sums] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`  ${name.padEnd(24)}${pct(sums.lines)}%${pct(sums.branches)}%`);
  }
  const total = summary.total;
  console.log(
    `  ${'all'.padEnd(24)}${pct([total.lines.covered, total.lines.total])}%${pct([total.branches.covered, total.branches.total])}%`,
  );
  console.log('  (browser is not counted: its code runs in Chromium; see vitest.config.ts)\n');
}
