#!/usr/bin/env node
// Bundles bench/main.ts for Node with esbuild into test/harness/ (beside the harness it imports, so the
// harness's file-relative paths hold) and runs it; results go to bench/results.json.
// Usage: node bench/run.mjs [entries] [awaited], or node bench/run.mjs ipc [round trips] for the
// page-to-worker round trips alone (ipc-main.ts).
import { rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const outfile = fileURLToPath(new URL('../test/harness/.bench.bundle.mjs', import.meta.url));
process.env.BENCH_RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
const ipc = process.argv[2] === 'ipc';
if (ipc) process.argv.splice(2, 1);
await build({
  entryPoints: [fileURLToPath(new URL(ipc ? './ipc-main.ts' : './main.ts', import.meta.url))],
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
