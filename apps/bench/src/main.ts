#!/usr/bin/env node
/**
 * `pnpm bench [--preset small|leveldb|rocksdb|ycsb] [--engines a,b] [--mode typical,fast]
 * [--benchmarks x,y] [--scale 0.1] [--budget-ms 3000] [--json out.json]`
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatReport } from './report.js';
import { runBench } from './run-bench.js';
import type { Mode } from './workloads.js';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'small' },
    engines: { type: 'string' },
    mode: { type: 'string' },
    benchmarks: { type: 'string' },
    scale: { type: 'string' },
    'budget-ms': { type: 'string' },
    json: { type: 'string' },
  },
});
const list = (s: string | undefined) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;
const tty = process.stderr.isTTY;
const report = await runBench(
  {
    preset: values.preset ?? 'small',
    engines: list(values.engines),
    modes: list(values.mode) as Mode[] | undefined,
    benchmarks: list(values.benchmarks),
    scale: values.scale ? Number(values.scale) : undefined,
    budgetMs: values['budget-ms'] ? Number(values['budget-ms']) : undefined,
  },
  ({ engine, mode, step }) => {
    const line = `[bench] ${engine} (${mode}): ${step}`;
    process.stderr.write(tty ? `\r${line.padEnd(60)}` : `${line}\n`);
  },
);
if (tty) process.stderr.write('\n');
console.log(formatReport(report));
const out = values.json ?? `apps/bench/results/${report.preset}-latest.json`;
mkdirSync(out.slice(0, out.lastIndexOf('/')) || '.', { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nresults written to ${out}`);
