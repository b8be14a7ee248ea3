// One vitest configuration for the whole monorepo. Tests import sibling packages by name; the aliases
// below point those names at each package's TypeScript source, so tests never need a build first.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const alias = [
  { find: /^@velocity\/core\/node$/, replacement: here('./packages/core/src/node/index.ts') },
  {
    find: /^@velocity\/db\/compaction-worker$/,
    replacement: here('./packages/db/src/compaction-worker.ts'),
  },
  { find: /^@velocity\/([a-z-]+)$/, replacement: here('./packages/$1/src/index.ts') },
];

/**
 * Coverage floors per package, in percent of lines and branches, checked by every `npm test`
 * (`scripts/test.mjs` runs the unit project with `--coverage`; a targeted `vitest run` does not collect
 * coverage unless asked to). Each floor is what the package reached when it was last raised, minus
 * 0.5 point of slack: developers land changes in parallel, and a change elsewhere shifts a package's
 * numbers a little without any test getting weaker; and a few branches are reached only by some runs
 * (fast-check's random inputs, the timing of background work), so a floor sits below the lowest of
 * several runs. A change that raises a package's coverage raises its floor too; a floor is never
 * lowered to make a change pass.
 */
const floors: Record<string, { lines: number; branches: number }> = {
  // Measured 2026-12-01 in five full runs (three on d9945ad, two after rebasing on main's #14, #18 and
  // #19, which added code to block-cache, compaction, core, db, sstable and testkit): for each package
  // the lowest of the runs on its current code, minus 0.5. The runs agreed to the branch except sstable
  // (91.09-92.12% branches), db (91.82-92.33%) and wal (91.07-91.96%; a fresh-clone run on 2026-12-01
  // reached 90.18%, its timing-dependent sync paths, so wal's branch floor is 89.6, its earlier value).
  // block-cache: later full runs on 2026-12-01 reached 83, 84 and 85 of its 86 branches (96.51-98.84%),
  // so its branch floor is set under the lowest of them rather than at 97.1, which failed a clean run.
  'block-cache': { lines: 99.0, branches: 96.5 }, // 99.56 / 96.51-98.84
  bloom: { lines: 99.5, branches: 96.1 }, // 100 / 96.67
  compaction: { lines: 98.0, branches: 93.7 }, // 98.46 / 93.83
  core: { lines: 95.9, branches: 93.6 }, // 96.43 / 94.10
  db: { lines: 95.8, branches: 91.3 }, // 96.32 / 91.82
  level: { lines: 95.4, branches: 94.5 }, // 95.96 / 95.08
  memtable: { lines: 99.0, branches: 97.4 }, // 99.53 / 97.98
  sstable: { lines: 97.7, branches: 90.5 }, // 98.28 / 91.09
  testkit: { lines: 97.9, branches: 87.9 }, // 98.41 / 88.46
  wal: { lines: 96.3, branches: 89.6 }, // 96.84 / 90.18-91.96
};

export default defineConfig({
  resolve: { alias },
  test: {
    // What is counted, and what cannot be:
    // - Only the unit project's tests, over packages/*/src (apps, docs and scripts are not measured).
    // - abstract-level's compliance suite (tape) runs inside a vitest test, on the sources
    //   (packages/level/test/abstract-level-suite.test.ts), so it counts.
    // - The compaction worker thread runs the built dist/compaction/worker-entry.js in another V8
    //   isolate, which the coverage provider does not profile (and it runs built JavaScript, not the
    //   sources). What it runs is `runWorkerJob` (the same Merge, TableCache and sinks as the main
    //   thread), and packages/db/test/compaction-worker.test.ts calls that function on the main thread,
    //   so it counts; only the thread's message loop (a few lines) is never measured. Child processes
    //   (the crash, close, bench and cli tests) are not measured either.
    // - packages/browser is excluded and has no floor: its code runs in Chromium (bundled by esbuild,
    //   mostly inside a dedicated worker, for OPFS), not in vitest's Node workers, so Node's numbers for
    //   it (9% of lines: the few files that its Node tests import) say nothing. Counting it would take
    //   Chromium's own V8 coverage of the page and of the worker (playwright's page.coverage sees only
    //   the page), mapped back through esbuild's source maps and merged into this report; not done.
    //
    // What coverage costs (issue 22; 2-core machine shared with other sessions, so CPU seconds of the
    // whole process tree, /usr/bin/time, are compared, not wall times; the test step as
    // scripts/test.mjs runs it, 114 files, 692 tests):
    // - V8's precise coverage slows all the JavaScript a profiled worker runs (the sources, the tests,
    //   fast-check, vitest), 15-45% for most files: +12% of the step's CPU (+8% to +23% between runs).
    //   No option of @vitest/coverage-v8 4.1 changes that: `include`, `exclude`, the reporters and
    //   `processingConcurrency` act on the final report (1.3-1.5 s), V8's function-only and binary modes
    //   are no cheaper or lose branch counts. Tried and not kept: leaving the workers of apps/, docs/
    //   and scripts/ tests unprofiled (1-6 s, under the runs' spread), and running those in a second
    //   vitest process (timing-dependent tests failed when it starved the first one's child processes).
    // - So the step's own cost was cut instead: the unit project runs its files in one worker process
    //   (`isolate: false`, with vitest.setup.ts resetting modules and mocks per file) rather than a new
    //   process per file. 2026-12-01, load average 4-7 unless noted:
    //   one process per file (before), no coverage: 240.9 s (load 0.8), 238.3 s; with: 261.7 s.
    //   one process for all files, with coverage: 218.1, 221.6 s; no coverage: 204.9 s.
    //   Coverage now costs +6-8% over the same setting, and the step with coverage takes 8% less CPU
    //   than it took without coverage before. Wall times at these loads: 391-483 s before without
    //   coverage, 417-502 s now with it (the docs site crawl alone is 131-143 s of it).
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['packages/*/src/**/*.d.ts', 'packages/browser/src/**'],
      reporter: [['text-summary'], ['json-summary', { file: 'coverage-summary.json' }]],
      reportsDirectory: 'artifacts/coverage',
      // The per-package summary is printed even when a test failed.
      reportOnFailure: true,
      thresholds: Object.fromEntries(
        Object.entries(floors).map(([name, floor]) => [`packages/${name}/src/**`, floor]),
      ),
    },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: [
            'packages/*/test/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'docs/test/**/*.test.ts',
            'scripts/test/**/*.test.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One worker process runs the test files one after another instead of a new process per
          // file, which cost a process start and a fresh vitest and node_modules per file (half the
          // CPU of the small files). vitest.setup.ts drops the previous file's modules and mocks
          // before each file, so every file still evaluates the sources afresh; see "What coverage
          // costs" above.
          isolate: false,
          setupFiles: [here('./vitest.setup.ts')],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'stress',
          include: ['packages/*/test/**/*.stress.ts'],
          testTimeout: 3_600_000,
        },
      },
    ],
  },
});
