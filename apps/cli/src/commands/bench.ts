/**
 * `velocity bench`: runs the benchmark suite of `apps/bench` and prints its tables.
 *
 * The suite (`@velocity/bench`, part of the source repository, with the peer engines as its own dev
 * dependencies) is only a dev dependency of the command, so installing `velocity` installs neither it
 * nor LevelDB, LMDB and SQLite. It is loaded when `bench` runs.
 * @module
 */
import { writeFileSync } from 'node:fs';
import type { KeyKind, Mode } from '@velocity/bench';
import { CliError, ExitCode } from '../exit-codes.js';
import type { Io } from '../program.js';

/** Options of `velocity bench`. */
export interface BenchCommandOptions {
  preset: string;
  engines?: string;
  mode?: string;
  benchmarks?: string;
  scale?: number;
  /** Key shape: `decimal` (default) or `random`. */
  keys?: string;
  /** `engine:mode` pairs not to run. */
  skip?: string;
  /** Rounds to run; the report gives medians. */
  repeat?: number;
  /** Time box of one read or mixed benchmark, milliseconds. */
  budgetMs?: number;
  json?: string;
}

const list = (s: string | undefined) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Loads the suite, or explains where it lives when it is not installed. */
async function loadBench(): Promise<typeof import('@velocity/bench')> {
  try {
    return await import('@velocity/bench');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new CliError(
      'velocity bench needs @velocity/bench, which comes with the source repository: run `node scripts/pnpm.mjs bench` in a checkout.',
      ExitCode.Usage,
    );
  }
}

/** Runs the suite with a progress line per step. */
export async function benchCommand(o: BenchCommandOptions, io: Io): Promise<void> {
  const { formatReport, runBench } = await loadBench();
  const report = await runBench(
    {
      preset: o.preset,
      engines: list(o.engines),
      modes: list(o.mode) as Mode[] | undefined,
      benchmarks: list(o.benchmarks),
      scale: o.scale,
      keys: o.keys as KeyKind | undefined,
      skip: list(o.skip),
      repeat: o.repeat,
      budgetMs: o.budgetMs,
    },
    ({ engine, mode, step }) => io.log(`[bench] ${engine} (${mode}): ${step}`),
  );
  for (const line of formatReport(report).split('\n')) io.out(line);
  if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
}
