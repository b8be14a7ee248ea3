import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENGINES } from './engines/index.js';
import { PRESETS } from './presets.js';
import type { WorkerJob, WorkerResult } from './worker.js';
import { ALL_WORKLOADS, type Mode } from './workloads.js';

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** Preset name: small, leveldb, rocksdb, ycsb. */
  preset: string;
  /** Engine names (default: all). */
  engines?: string[];
  /** Modes (default: typical and fast). */
  modes?: Mode[];
  /** Benchmarks (default: all). */
  benchmarks?: string[];
  /** Multiplies the preset's entry count. */
  scale?: number;
  /** Time budget per benchmark in milliseconds (default 3000). */
  budgetMs?: number;
}

/** A whole run: the JSON written under apps/bench/results/. */
export interface BenchReport {
  preset: string;
  entries: number;
  keySize: number;
  valueSize: number;
  date: string;
  node: string;
  platform: string;
  runs: WorkerResult[];
  skipped: { engine: string; mode: Mode; reason: string }[];
}

/** A progress event. */
export type BenchProgress = { engine: string; mode: Mode; step: string };

/** The worker script; from source (tests) it is the built one in dist/, so build first. */
const workerPath = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../dist/worker.js' : './worker.js', import.meta.url),
);

function runWorker(job: WorkerJob, onProgress: (step: string) => void): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=4096', workerPath, JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
      for (const line of String(d).split('\n')) if (line.startsWith('PROGRESS ')) onProgress(line.slice(9));
    });
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as WorkerResult);
      else {
        const reason =
          /ERROR ([^\n]*)/.exec(err)?.[1] ?? err.split('\n').find((l) => /Error/.test(l)) ?? `exit ${code}`;
        reject(new Error(reason));
      }
    });
  });
}

/** Runs the suite: every engine and mode in its own process, one after another. */
export async function runBench(
  options: BenchOptions,
  onProgress: (p: BenchProgress) => void = () => {},
): Promise<BenchReport> {
  const preset = PRESETS[options.preset];
  if (!preset)
    throw new Error(`unknown preset ${options.preset}; choose one of ${Object.keys(PRESETS).join(', ')}`);
  const entries = Math.max(100, Math.round(preset.entries * (options.scale ?? 1)));
  const engines = options.engines ?? ENGINES.map((e) => e.name);
  const modes = options.modes ?? ['typical', 'fast'];
  const benchmarks = options.benchmarks ?? [...ALL_WORKLOADS];
  const report: BenchReport = {
    preset: preset.name,
    entries,
    keySize: preset.keySize,
    valueSize: preset.valueSize,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    runs: [],
    skipped: [],
  };
  for (const engine of engines) {
    for (const mode of modes) {
      const job: WorkerJob = {
        engine,
        mode,
        entries,
        keySize: preset.keySize,
        valueSize: preset.valueSize,
        budgetMs: options.budgetMs ?? 3000,
        benchmarks,
      };
      try {
        report.runs.push(await runWorker(job, (step) => onProgress({ engine, mode, step })));
      } catch (error) {
        report.skipped.push({ engine, mode, reason: (error as Error).message });
      }
    }
  }
  return report;
}
