#!/usr/bin/env node
// Bundles bench/main.ts for Node with esbuild into test/harness/ (beside the harness it imports, so the
// harness's file-relative paths hold) and runs it; results go to bench/results.json.
// Usage: node bench/run.mjs [entries] [awaited]; or, with a mode first:
//   ipc [round trips]       the page-to-worker round trips alone (ipc-main.ts)
//   floor [calls]           an empty postMessage round trip and OPFS write()/read() costs (opfs-floor-main.ts)
//   profile [entries] [n]   the workloads one by one, CPU profiles of page and worker (profile-main.ts)
//   ab puts|gets [blocks] [size]  shared memory against messages, alternating blocks in one page (profile-main.ts)
import { rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const outfile = fileURLToPath(new URL('../test/harness/.bench.bundle.mjs', import.meta.url));
process.env.BENCH_RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
const modes = {
  ipc: './ipc-main.ts',
  floor: './opfs-floor-main.ts',
  profile: './profile-main.ts',
  ab: './profile-main.ts',
};
const mode = modes[process.argv[2]];
if (process.argv[2] === 'ab') process.env.BENCH_MODE = 'ab';
if (mode !== undefined) process.argv.splice(2, 1);
await build({
  entryPoints: [fileURLToPath(new URL(mode ?? './main.ts', import.meta.url))],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
try {
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(outfile, { force: true });
}
