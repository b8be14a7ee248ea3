// Long runs of the crash and model tests (VELOCITY_STRESS=1; `node scripts/pnpm.mjs stress`): the same
// suites with many more kills and model runs. Not part of the default test run.
process.env.VELOCITY_CRASH_ROUNDS ??= '60';
process.env.VELOCITY_MODEL_RUNS ??= '2000';
await import('./crash.test.js');
await import('./model.test.js');
