#!/usr/bin/env node
// Bundles bench/main.ts for Node with esbuild into test/harness/ (beside the harness it imports, so the
// harness's file-relative paths hold) and runs it; results go to bench/results.json. Usage: node bench/run.mjs [entries] [awaited]
import { rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const outfile = fileURLToPath(new URL('../test/harness/.bench.bundle.mjs', import.meta.url));
process.env.BENCH_RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
await build({
  entryPoints: [fileURLToPath(new URL('./main.ts', import.meta.url))],
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
