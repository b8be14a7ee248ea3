/**
 * One engine × preset × mode, in its own process (so peak memory and native state do not leak between
 * engines). Reads its job from argv[2] as JSON, prints `PROGRESS <benchmark>` lines to stderr and one
 * `RESULT <json>` line to stdout.
 * @module
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES } from './engines/index.js';
import {
  FILL_WORKLOADS,
  load,
  type Mode,
  type RunContext,
  runWorkload,
  type WorkloadResult,
} from './workloads.js';

/** What the orchestrator asks a worker to do. */
export interface WorkerJob {
  engine: string;
  mode: Mode;
  entries: number;
  keySize: number;
  valueSize: number;
  budgetMs: number;
  benchmarks: string[];
}

/** What a worker reports. */
export interface WorkerResult {
  engine: string;
  mode: Mode;
  results: Record<string, WorkloadResult>;
  peakRssBytes: number;
  diskBytes: number;
  /** Bytes the process handed to write() / user key+value bytes (from /proc/self/io; -1 if unknown). */
  writeAmplification: number;
}

function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0; // in-memory engines write nothing
  let total = 0;
  for (const name of readdirSync(dir)) {
    const s = statSync(join(dir, name));
    total += s.isDirectory() ? dirBytes(join(dir, name)) : s.size;
  }
  return total;
}

function writtenBytes(): number {
  try {
    const io = readFileSync('/proc/self/io', 'utf8');
    return Number(/wchar: (\d+)/.exec(io)?.[1] ?? -1);
  } catch {
    return -1;
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as WorkerJob;
  const engine = ENGINES.find((e) => e.name === job.engine);
  if (!engine) throw new Error(`unknown engine ${job.engine}`);
  const root = mkdtempSync(join(tmpdir(), `bench-${engine.name}-`));
  const userBytes = { value: 0 };
  const wcharStart = writtenBytes();
  const results: Record<string, WorkloadResult> = {};
  const context = async (dir: string): Promise<RunContext> => ({
    ...job,
    handle: await engine.open(dir),
    userBytes,
  });
  try {
    for (const name of job.benchmarks.filter((b) => (FILL_WORKLOADS as readonly string[]).includes(b))) {
      process.stderr.write(`PROGRESS ${name}\n`);
      const ctx = await context(join(root, name));
      results[name] = await runWorkload(name, ctx);
      await ctx.handle.close();
    }
    const loaded = job.benchmarks.filter((b) => !(FILL_WORKLOADS as readonly string[]).includes(b));
    let diskBytes = 0;
    if (loaded.length > 0) {
      process.stderr.write('PROGRESS load\n');
      const ctx = await context(join(root, 'main'));
      await load(ctx);
      for (const name of loaded) {
        process.stderr.write(`PROGRESS ${name}\n`);
        results[name] = await runWorkload(name, ctx);
      }
      await ctx.handle.close();
      diskBytes = dirBytes(join(root, 'main'));
    }
    const wchar = writtenBytes();
    const result: WorkerResult = {
      engine: engine.name,
      mode: job.mode,
      results,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      diskBytes,
      writeAmplification: wchar < 0 || userBytes.value === 0 ? -1 : (wchar - wcharStart) / userBytes.value,
    };
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`ERROR ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
