/**
 * One engine × preset × mode, in its own process (so peak memory, native threads and JIT state do not
 * leak between engines). Started by `runBench` with `child_process.fork`: reads its job from argv[2]
 * (JSON) and answers over IPC with `progress`, then one `result` or `error` message. Run by hand
 * (`node dist/worker.js '<job json>'`) it prints `RESULT <json>` instead.
 * @module
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ENGINES, type Engine } from './engines/index.js';
import { compactionDebt } from './debt.js';
import { type KeyKind, keyShape } from './keys.js';
import { sampleLoopDelay } from './loop-delay.js';
import { valuePool } from './random.js';
import { osWriteBytes, settle, settleStorage } from './settle.js';
import type { Mode, RunContext, WorkloadResult } from './timing.js';
import { load, shuffled, WORKLOADS, type Workload } from './workloads.js';

/** What the orchestrator asks a worker to do. */
export interface WorkerJob {
  engine: string;
  mode: Mode;
  entries: number;
  keySize: number;
  valueSize: number;
  /** Key shape: fixed-width decimals or uniformly random bytes. */
  keys: KeyKind;
  /** Time box of one read or mixed benchmark; fills always write all their entries. */
  budgetMs: number;
  benchmarks: string[];
  /** Profile each benchmark (not the load) into `<dir>/<engine>-<mode>-<benchmark>.cpuprofile`. */
  cpuProfileDir?: string;
}

/** Where a write-amplification figure comes from. */
export type WriteAmpSource = 'db.stats().bytesWritten' | '/proc/self/io write_bytes' | 'unavailable';

/** What a worker reports: one engine in one mode. */
export interface WorkerResult {
  engine: string;
  mode: Mode;
  /** Per benchmark, in run order. */
  results: Record<string, WorkloadResult>;
  /** Peak resident set of the worker process (`process.resourceUsage().maxRSS`), bytes. */
  peakRssBytes: number;
  /** V8 heap + array buffers held after 10,000 records were put into a fresh database (after GC); -1 unknown. */
  heap10kBytes: number;
  /** Sum of file sizes in the loaded database's directory right after the load; 0 for in-memory engines. */
  diskBytes: number;
  /**
   * Seconds spent, untimed, letting the engine finish background work (flushes, compactions) after
   * each fill and before each benchmark that follows writes: at least 0.2 s each (the quiet window),
   * more while the process stays busy.
   */
  settleSeconds: number;
  /** Bytes written to storage ÷ key and value bytes written by the benchmarks; -1 if unknown. */
  writeAmplification: number;
  /** How `writeAmplification` was measured. */
  writeAmplificationSource: WriteAmpSource;
  /** The same ratio from the operating system's count for every engine (/proc/self/io write_bytes); -1 if unavailable. */
  osWriteAmplification: number;
}

/** Messages from a worker to the orchestrator. */
export type WorkerMessage =
  | { type: 'progress'; step: string }
  | { type: 'result'; result: WorkerResult }
  | { type: 'error'; message: string; unavailable: boolean };

function send(message: WorkerMessage): Promise<void> {
  if (!process.send) {
    if (message.type === 'result') process.stdout.write(`RESULT ${JSON.stringify(message.result)}\n`);
    else process.stderr.write(`${message.type === 'progress' ? message.step : message.message}\n`);
    return Promise.resolve();
  }
  return new Promise((resolve) => process.send?.(message, undefined, {}, () => resolve()));
}

function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const name of readdirSync(dir)) {
    const s = statSync(join(dir, name));
    total += s.isDirectory() ? dirBytes(join(dir, name)) : s.size;
  }
  return total;
}

/** Starts V8's sampling profiler (100 µs interval) in this process; `stop(file)` writes the profile. */
async function startProfiler(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Heap (V8 heap + array buffers, after GC) that 10,000 records put one by one add to an open database. */
async function heapFor10k(
  engine: Engine,
  dir: string,
  kind: KeyKind,
  keySize: number,
  valueSize: number,
): Promise<number> {
  const keys = keyShape(kind, 10_100, keySize);
  const gc = (globalThis as { gc?: () => void }).gc;
  const handle = await engine.open(dir);
  if (!gc) {
    await handle.close();
    return -1;
  }
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const order = shuffled(10_000, 3);
  const value = valuePool(valueSize, 5);
  // A warm-up of 100 other records, so compiled code and first-use allocations are not counted.
  for (let i = 0; i < 100; i++) await handle.put(keys.key(10_000 + i), value(i).slice(), false);
  const before = used();
  // Fresh arrays per record, dropped by the caller: what is left after GC is what the database keeps.
  for (const i of order) await handle.put(keys.key(i), value(i).slice(), false);
  const after = used();
  await handle.close();
  return Math.max(0, after - before);
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as WorkerJob;
  const engine = ENGINES.find((e) => e.name === job.engine);
  if (!engine) throw new Error(`unknown engine ${job.engine}`);
  const root = mkdtempSync(join(tmpdir(), `velocity-bench-${engine.name}-`));
  try {
    let heap10kBytes: number;
    try {
      heap10kBytes = await heapFor10k(engine, join(root, 'heap'), job.keys, job.keySize, job.valueSize);
    } catch (error) {
      await send({
        type: 'error',
        message: `cannot run here: ${(error as Error).message}`,
        unavailable: true,
      });
      return;
    }
    const result = await runJob(engine, job, root);
    result.heap10kBytes = heap10kBytes;
    await send({ type: 'result', result });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** For engines that expose their levels: true while their compaction debt is above zero. */
function owesCompaction(ctx: RunContext): (() => boolean) | undefined {
  const levels = ctx.handle.levels;
  if (levels === undefined) return undefined;
  return () => compactionDebt(levels.call(ctx.handle)).bytes > 0;
}

/** How long the worker waits at most for an engine to settle after a fill. */
const FILL_SETTLE_MAX_MS = 300_000;

/**
 * What a fill left behind, measured as it returns and while the engine then settles (untimed): the
 * compaction debt and level-0 files (engines that expose their levels), the seconds until the process
 * went quiet, the bytes written meanwhile, and the fill's write amplification over the fill and its
 * settling (operating-system count for every engine, so all are measured alike).
 */
async function afterFill(
  ctx: RunContext,
  fillUserBytes: number,
  osBefore: number,
): Promise<{ waitedMs: number; extra: Record<string, number> }> {
  const extra: Record<string, number> = {};
  const levels = ctx.handle.levels?.();
  if (levels) {
    const debt = compactionDebt(levels);
    extra.debtBytes = debt.bytes;
    extra.level0Files = debt.level0Files;
  }
  const osAtEnd = osWriteBytes();
  const settled = await settle(FILL_SETTLE_MAX_MS, owesCompaction(ctx));
  const osSettled = osWriteBytes();
  extra.settleSeconds = settled.busyMs / 1000;
  if (settled.timedOut) extra.settleTimedOut = 1;
  if (osBefore >= 0 && osSettled >= 0) {
    extra.settleWrittenBytes = osSettled - osAtEnd;
    if (fillUserBytes > 0) extra.writeAmplification = (osSettled - osBefore) / fillUserBytes;
  }
  return { waitedMs: settled.waitedMs, extra };
}

async function runJob(engine: Engine, job: WorkerJob, root: string): Promise<WorkerResult> {
  const userBytes = { value: 0 };
  const osStart = osWriteBytes();
  let engineBytes: number | undefined = 0;
  const selected = WORKLOADS.filter(
    (w) => job.benchmarks.includes(w.name) && (job.mode === 'typical' || !w.typicalOnly),
  );
  const results: Record<string, WorkloadResult> = {};
  const keys = keyShape(job.keys, job.entries, job.keySize);
  const open = async (dir: string): Promise<RunContext> => ({
    ...job,
    keys,
    handle: await engine.open(dir),
    userBytes,
  });
  const close = async (ctx: RunContext) => {
    const written = ctx.handle.bytesWritten?.();
    engineBytes = written === undefined || engineBytes === undefined ? undefined : engineBytes + written;
    await ctx.handle.close();
  };
  let settleMs = 0;
  const run = async (w: Workload, ctx: RunContext) => {
    if (w.needsCompaction && !ctx.handle.compactRange) return;
    if (w.needsRangeDelete && !ctx.handle.deleteRange) return;
    await send({ type: 'progress', step: w.name });
    if (w.kind === 'fill') settleStorage();
    const before = { user: userBytes.value, os: osWriteBytes() };
    w.prepare?.(ctx);
    const profiler = job.cpuProfileDir ? await startProfiler() : undefined;
    const loop = sampleLoopDelay();
    const result = await w.run(ctx);
    result.loopDelay = loop.stop();
    if (profiler && job.cpuProfileDir) {
      await profiler.stop(join(job.cpuProfileDir, `${engine.name}-${job.mode}-${w.name}.cpuprofile`));
    }
    if (w.fill) {
      await send({ type: 'progress', step: `settle after ${w.name}` });
      const after = await afterFill(ctx, userBytes.value - before.user, before.os);
      settleMs += after.waitedMs;
      result.extra = { ...result.extra, ...after.extra };
    }
    results[w.name] = result;
  };

  const loaded = selected.filter((w) => w.kind === 'loaded');
  const fillseq = selected.find((w) => w.name === 'fillseq');
  for (const w of selected.filter((x) => x.kind === 'fill' && (x !== fillseq || loaded.length === 0))) {
    const ctx = await open(join(root, w.name));
    await run(w, ctx);
    await close(ctx);
  }
  let diskBytes = 0;
  if (loaded.length > 0) {
    // The loaded database is the one fillseq builds, as in db_bench's `fillseq,readrandom`; without
    // fillseq it is loaded in batches, untimed.
    const dir = join(root, 'main');
    const ctx = await open(dir);
    if (fillseq) await run(fillseq, ctx);
    await send({ type: 'progress', step: 'load' });
    await load(ctx, results.fillseq?.ops ?? 0);
    diskBytes = dirBytes(dir);
    settleStorage();
    let dirty = true;
    for (const w of loaded) {
      if (dirty) {
        await send({ type: 'progress', step: `settle before ${w.name}` });
        settleMs += (await settle(60_000, owesCompaction(ctx))).waitedMs;
      }
      await run(w, ctx);
      // A fill has settled already.
      dirty = w.writes === true && w.fill !== true;
    }
    await close(ctx);
  }

  const osEnd = osWriteBytes();
  const ratio = (bytes: number) => (userBytes.value > 0 ? bytes / userBytes.value : -1);
  const osWriteAmplification = osStart < 0 || osEnd < 0 ? -1 : ratio(osEnd - osStart);
  const ordered: Record<string, WorkloadResult> = {};
  for (const w of WORKLOADS) if (results[w.name]) ordered[w.name] = results[w.name];
  return {
    engine: engine.name,
    mode: job.mode,
    results: ordered,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    heap10kBytes: -1,
    diskBytes,
    settleSeconds: settleMs / 1000,
    writeAmplification: engineBytes !== undefined ? ratio(engineBytes) : osWriteAmplification,
    writeAmplificationSource:
      engineBytes !== undefined
        ? 'db.stats().bytesWritten'
        : osWriteAmplification >= 0
          ? '/proc/self/io write_bytes'
          : 'unavailable',
    osWriteAmplification,
  };
}

main()
  .catch(async (error) => {
    await send({ type: 'error', message: (error as Error)?.stack ?? String(error), unavailable: false });
    process.exitCode = 1;
  })
  // Native engines may leave threads behind; the result is already delivered.
  .finally(() => process.exit());
