#!/usr/bin/env node
/**
 * `pnpm bench [--preset small|leveldb|rocksdb|ycsb] [--engines a,b] [--mode typical,fast]
 * [--benchmarks x,y] [--scale 0.1] [--keys decimal|random] [--budget-ms 1000] [--skip lmdb:typical]
 * [--repeat 3] [--json out.json] [--markdown out.md] [--cpu-prof dir]`
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENGINES } from './engines/index.js';
import type { KeyKind } from './keys.js';
import { PRESETS } from './presets.js';
import { formatMarkdown, formatReport } from './report.js';
import { type BenchProgress, runBench } from './run-bench.js';
import type { Mode } from './timing.js';
import { WORKLOADS } from './workloads.js';

const HELP = `usage: pnpm bench -- [options]
  --preset NAME        ${Object.values(PRESETS)
    .map((p) => `${p.name} (${p.description})`)
    .join('\n                       ')}
  --engines LIST       ${ENGINES.map((e) => e.name).join(',')} (default: all)
  --mode LIST          typical,fast (default: both)
  --benchmarks LIST    default: all of
                       ${WORKLOADS.map((w) => w.name).join(',')}
  --scale F            multiply the preset's entry count
  --keys SHAPE         decimal (fixed-width decimals, default) or random (uniform random bytes)
  --budget-ms N        time box of each read or mixed benchmark; default per preset
                       (fills always write all their entries)
  --skip LIST          engine:mode pairs not to run, e.g. lmdb:typical
  --repeat N           run everything N times (round by round), report medians
  --json FILE          default apps/bench/results/<preset>[-random]-latest.json
  --markdown FILE      also write the tables as Markdown
  --cpu-prof DIR       write a CPU profile of every benchmark into DIR
                       (summarize one: node apps/bench/dist/profile-summary.js FILE)`;

const OPTIONS = {
  preset: { type: 'string', default: 'small' },
  engines: { type: 'string' },
  mode: { type: 'string' },
  benchmarks: { type: 'string' },
  scale: { type: 'string' },
  keys: { type: 'string' },
  'budget-ms': { type: 'string' },
  skip: { type: 'string' },
  repeat: { type: 'string' },
  json: { type: 'string' },
  markdown: { type: 'string' },
  'cpu-prof': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

// `pnpm bench -- --preset x` hands the `--` through; drop it.
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();
const parsed = (() => {
  try {
    return parseArgs({ args, options: OPTIONS });
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
})();
const { values } = parsed;
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const list = (s: string | undefined) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const tty = process.stderr.isTTY === true;
const started = Date.now();
const onProgress = ({ engine, mode, step, job, jobs }: BenchProgress) => {
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const line = `[${job}/${jobs} ${seconds}s] ${engine} (${mode}): ${step}`;
  if (tty) process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
  else process.stderr.write(`${line}\n`);
};

try {
  const report = await runBench(
    {
      preset: values.preset ?? 'small',
      engines: list(values.engines),
      modes: list(values.mode) as Mode[] | undefined,
      benchmarks: list(values.benchmarks),
      scale: values.scale ? Number(values.scale) : undefined,
      keys: values.keys as KeyKind | undefined,
      budgetMs: values['budget-ms'] ? Number(values['budget-ms']) : undefined,
      skip: list(values.skip),
      repeat: values.repeat ? Number(values.repeat) : undefined,
      cpuProfileDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
    },
    onProgress,
  );
  if (tty) process.stderr.write('\n');
  console.log(formatReport(report));
  const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
  const name = report.keys === 'decimal' ? report.preset : `${report.preset}-${report.keys}`;
  const out = values.json ? resolve(values.json) : `${resultsDir}${name}-latest.json`;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nresults written to ${out}`);
  if (values.markdown) writeFileSync(values.markdown, `${formatMarkdown(report)}\n`);
} catch (error) {
  if (tty) process.stderr.write('\n');
  console.error(`bench: ${(error as Error).message}`);
  process.exit(2);
}
