/**
 * `velocity bench`: runs the benchmark suite of `apps/bench` and prints its tables.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { formatReport, type Mode, runBench } from '@velocity/bench';
import type { Io } from '../program.js';

/** Options of `velocity bench`. */
export interface BenchCommandOptions {
  preset: string;
  engines?: string;
  mode?: string;
  benchmarks?: string;
  scale?: number;
  json?: string;
}

const list = (s: string | undefined) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Runs the suite with a progress line per step. */
export async function benchCommand(o: BenchCommandOptions, io: Io): Promise<void> {
  const report = await runBench(
    {
      preset: o.preset,
      engines: list(o.engines),
      modes: list(o.mode) as Mode[] | undefined,
      benchmarks: list(o.benchmarks),
      scale: o.scale,
    },
    ({ engine, mode, step }) => io.log(`[bench] ${engine} (${mode}): ${step}`),
  );
  for (const line of formatReport(report).split('\n')) io.out(line);
  if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
}
