/**
 * The orchestrator: one worker process per engine × mode, one after another, results back over IPC.
 * @module
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENGINES } from './engines/index.js';
import { velocityOptions } from './engines/velocity.js';
import { KEY_KINDS, type KeyKind } from './keys.js';
import { PRESETS } from './presets.js';
import type { Mode } from './timing.js';
import type { WorkerJob, WorkerMessage, WorkerResult } from './worker.js';
import { ALL_WORKLOADS } from './workloads.js';

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** Preset name: `small`, `leveldb`, `rocksdb` or `ycsb`. */
  preset: string;
  /** Engine names (default: all, Velocity first). */
  engines?: string[];
  /** Modes (default: typical and fast). */
  modes?: Mode[];
  /** Benchmarks (default: all). */
  benchmarks?: string[];
  /** Multiplies the preset's entry count (e.g. 0.1). */
  scale?: number;
  /** Key shape: `decimal` (fixed-width decimals, the default) or `random` (uniformly random bytes). */
  keys?: KeyKind;
  /**
   * Time budget of one read or mixed benchmark in milliseconds. Default: the preset's. Fills
   * (fillseq, fillrandom, fillsync, overwrite) are not time-boxed: they write all their entries.
   */
  budgetMs?: number;
  /**
   * `engine:mode` pairs not to run (e.g. `lmdb:typical`, whose awaited puts make 1M-entry fills take
   * minutes each); listed in the report's `skipped`.
   */
  skip?: string[];
  /** Runs every engine and mode this many times (round by round) and reports medians. Default 1. */
  repeat?: number;
  /** Writes a V8 CPU profile of every benchmark into this directory (`<engine>-<mode>-<benchmark>.cpuprofile`). */
  cpuProfileDir?: string;
}

/** A whole run: the JSON written under apps/bench/results/ (schema in the README). */
export interface BenchReport {
  preset: string;
  entries: number;
  keySize: number;
  valueSize: number;
  /** Key shape of the run. */
  keys: KeyKind;
  /** Time budget of one read or mixed benchmark, milliseconds (fills write all their entries). */
  budgetMs: number;
  /** The benchmarks asked for. */
  benchmarks: string[];
  date: string;
  node: string;
  platform: string;
  cpus: string;
  /** Runs per engine and mode; each number reported is the median over them. */
  repeat: number;
  /** Options given to Velocity through VELOCITY_BENCH_OPTIONS (absent: its defaults). */
  velocityOptions?: Record<string, unknown>;
  runs: WorkerResult[];
  skipped: { engine: string; mode: Mode; reason: string }[];
}

/** A progress event: worker `job` of `jobs` is at `step` (a benchmark name, `load`, `start`, `done`). */
export interface BenchProgress {
  engine: string;
  mode: Mode;
  step: string;
  job: number;
  jobs: number;
}

/** The worker script; from source (tests) it is the built one in dist/, so build first. */
const workerPath = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../dist/worker.js' : './worker.js', import.meta.url),
);

class Unavailable extends Error {}

function runWorker(job: WorkerJob, onStep: (step: string) => void): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(workerPath, [JSON.stringify(job)], {
      execArgv: ['--expose-gc', '--max-old-space-size=4096'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let outcome: WorkerMessage | undefined;
    child.stderr?.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onStep(message.step);
      else outcome = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (outcome?.type === 'result') resolve(outcome.result);
      else if (outcome?.type === 'error')
        reject(outcome.unavailable ? new Unavailable(outcome.message) : new Error(outcome.message));
      else {
        const last = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`worker exited (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}`));
      }
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

/**
 * Merges repeated runs of one engine and mode: per benchmark, the run with the median ops/s (its
 * latencies with it); every other number is the median of the runs'.
 */
export function medianRun(runs: readonly WorkerResult[]): WorkerResult {
  if (runs.length === 1) return runs[0];
  const results: WorkerResult['results'] = {};
  for (const name of Object.keys(runs[0].results)) {
    const all = runs.map((r) => r.results[name]).filter((x) => x !== undefined);
    const middle = median(all.map((x) => x.opsPerSecond));
    results[name] = all.find((x) => x.opsPerSecond === middle) ?? all[0];
  }
  const of = (f: (r: WorkerResult) => number) => median(runs.map(f));
  return {
    ...runs[0],
    results,
    peakRssBytes: of((r) => r.peakRssBytes),
    heap10kBytes: of((r) => r.heap10kBytes),
    diskBytes: of((r) => r.diskBytes),
    settleSeconds: of((r) => r.settleSeconds),
    writeAmplification: of((r) => r.writeAmplification),
    osWriteAmplification: of((r) => r.osWriteAmplification),
  };
}

/** Resolves a preset and options into the job every worker gets (entries scaled, budget defaulted). */
export function planJob(options: BenchOptions): Omit<WorkerJob, 'engine' | 'mode' | 'cpuProfileDir'> {
  const preset = PRESETS[options.preset];
  if (!preset)
    throw new Error(`unknown preset ${options.preset}; choose one of ${Object.keys(PRESETS).join(', ')}`);
  for (const [name, value] of [
    ['scale', options.scale],
    ['budgetMs', options.budgetMs],
    ['repeat', options.repeat],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0))
      throw new Error(`${name} must be a positive number, got ${value}`);
  }
  const keys = options.keys ?? 'decimal';
  if (!KEY_KINDS.includes(keys))
    throw new Error(`unknown key shape ${keys}; choose one of ${KEY_KINDS.join(', ')}`);
  const benchmarks = options.benchmarks ?? [...ALL_WORKLOADS];
  const unknown = benchmarks.filter((b) => !ALL_WORKLOADS.includes(b));
  if (unknown.length > 0)
    throw new Error(`unknown benchmarks ${unknown.join(', ')}; known: ${ALL_WORKLOADS.join(', ')}`);
  return {
    entries: Math.max(100, Math.round(preset.entries * (options.scale ?? 1))),
    keySize: preset.keySize,
    valueSize: preset.valueSize,
    keys,
    budgetMs: options.budgetMs ?? preset.budgetMs,
    benchmarks,
  };
}

/**
 * Runs the suite: every engine in every mode, each in its own process, one after another (so they do
 * not compete for the CPU). An engine that cannot load here is skipped with the reason.
 */
export async function runBench(
  options: BenchOptions,
  onProgress: (p: BenchProgress) => void = () => {},
): Promise<BenchReport> {
  const plan = planJob(options);
  const engines = options.engines ?? ENGINES.map((e) => e.name);
  const unknown = engines.filter((e) => !ENGINES.some((x) => x.name === e));
  if (unknown.length > 0)
    throw new Error(`unknown engines ${unknown.join(', ')}; known: ${ENGINES.map((e) => e.name).join(', ')}`);
  const modes = options.modes ?? ['typical', 'fast'];
  const skip = new Set(options.skip ?? []);
  for (const pair of skip) {
    const [engine, mode] = pair.split(':');
    if (!ENGINES.some((e) => e.name === engine) || (mode !== 'typical' && mode !== 'fast'))
      throw new Error(`skip takes engine:mode pairs (e.g. lmdb:typical), got ${pair}`);
  }
  const { cpus, version } = await import('node:os').then((os) => ({ cpus: os.cpus(), version: os.version }));
  const report: BenchReport = {
    preset: options.preset,
    ...plan,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch} (${version()})`,
    cpus: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    repeat: 1,
    runs: [],
    skipped: [],
  };
  if (process.env.VELOCITY_BENCH_OPTIONS) report.velocityOptions = velocityOptions();
  const repeat = Math.max(1, Math.floor(options.repeat ?? 1));
  report.repeat = repeat;
  const jobs = engines.length * modes.length * repeat;
  const collected = new Map<string, WorkerResult[]>();
  const unavailable = new Map<string, string>();
  let index = 0;
  // Rounds go over every engine before the next round, so a noisy moment hits all engines alike.
  for (let round = 0; round < repeat; round++) {
    for (const engine of engines) {
      for (const mode of modes) {
        index++;
        const progress = (step: string) => onProgress({ engine, mode, step, job: index, jobs });
        const reason = skip.has(`${engine}:${mode}`) ? 'not run (skip)' : unavailable.get(engine);
        if (reason !== undefined) {
          if (round === 0) report.skipped.push({ engine, mode, reason });
          progress(`skipped: ${reason}`);
          continue;
        }
        progress('start');
        try {
          const job: WorkerJob = { ...plan, engine, mode, cpuProfileDir: options.cpuProfileDir };
          const result = await runWorker(job, progress);
          const key = `${engine}\0${mode}`;
          collected.set(key, [...(collected.get(key) ?? []), result]);
          progress('done');
        } catch (error) {
          const message = (error as Error).message;
          if (error instanceof Unavailable) unavailable.set(engine, message);
          report.skipped.push({ engine, mode, reason: message });
          progress(`skipped: ${message.split('\n')[0]}`);
        }
      }
    }
  }
  for (const engine of engines) {
    for (const mode of modes) {
      const runs = collected.get(`${engine}\0${mode}`);
      if (runs) report.runs.push(medianRun(runs));
    }
  }
  return report;
}
