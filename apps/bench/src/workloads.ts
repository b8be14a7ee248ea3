/**
 * The benchmarks, in the spirit of LevelDB's db_bench and YCSB. Each runs until it has done its
 * operations or its time budget is spent, and reports ops/s over what it did.
 * @module
 */
import type { EngineHandle } from './engines/index.js';
import { keyOf, scramble, seededRandom, valuePool, zipfian } from './random.js';
import { LatencyRecorder } from './stats.js';

/** typical = one awaited operation at a time; fast = the engine's quickest public API. */
export type Mode = 'typical' | 'fast';

/** What a benchmark run needs. */
export interface RunContext {
  handle: EngineHandle;
  mode: Mode;
  entries: number;
  keySize: number;
  valueSize: number;
  budgetMs: number;
  /** Key and value bytes written by this process, for write amplification. */
  userBytes: { value: number };
}

/** The outcome of one benchmark. */
export interface WorkloadResult {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  p50: number;
  p99: number;
  p999: number;
}

type Op = (i: number) => Promise<void> | void;

/** Runs `op` up to `count` times within the budget, timing each call (or each batch in fast mode). */
async function timed(
  ctx: RunContext,
  count: number,
  op: Op,
  budgetMs = ctx.budgetMs,
): Promise<WorkloadResult> {
  const recorder = new LatencyRecorder(100_000, seededRandom(5));
  const started = performance.now();
  const deadline = started + budgetMs;
  let done = 0;
  while (done < count) {
    const t0 = performance.now();
    const pending = op(done);
    if (pending !== undefined) await pending;
    recorder.record((performance.now() - t0) * 1000);
    done++;
    if ((done & 63) === 0 && performance.now() > deadline) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const [p50, p99, p999] = recorder.percentiles([50, 99, 99.9]);
  return { ops: done, seconds, opsPerSecond: done / seconds, p50, p99, p999 };
}

const BATCH = 1000;

/** Like `timed`, but each "op" handles a batch of `BATCH` items; results are per item. */
async function timedBatches(
  ctx: RunContext,
  count: number,
  batchOp: (start: number, n: number) => Promise<void> | void,
): Promise<WorkloadResult> {
  const r = await timed(ctx, Math.ceil(count / BATCH), (b) =>
    batchOp(b * BATCH, Math.min(BATCH, count - b * BATCH)),
  );
  const ops = Math.min(count, r.ops * BATCH);
  return {
    ...r,
    ops,
    opsPerSecond: ops / r.seconds,
    p50: r.p50 / BATCH,
    p99: r.p99 / BATCH,
    p999: r.p999 / BATCH,
  };
}

function keys(ctx: RunContext) {
  return (i: number) => keyOf(i, ctx.keySize);
}

/** Writes `count` entries with keys from `keyIndex`, single awaited puts or batches by mode. */
function writes(
  ctx: RunContext,
  count: number,
  keyIndex: (i: number) => number,
  sync = false,
): Promise<WorkloadResult> {
  const key = keys(ctx);
  const value = valuePool(ctx.valueSize);
  const entryBytes = ctx.keySize + ctx.valueSize;
  if (ctx.mode === 'typical' || sync) {
    return timed(ctx, count, (i) => {
      ctx.userBytes.value += entryBytes;
      return ctx.handle.put(key(keyIndex(i)), value(i), sync);
    });
  }
  return timedBatches(ctx, count, (start, n) => {
    const batch: [Uint8Array, Uint8Array][] = [];
    for (let i = start; i < start + n; i++) batch.push([key(keyIndex(i)), value(i)]);
    ctx.userBytes.value += n * entryBytes;
    return ctx.handle.putMany(batch);
  });
}

/** Reads `count` keys from `keyIndex`; awaited gets or the engine's fastest get by mode. */
function reads(ctx: RunContext, count: number, keyIndex: (i: number) => number): Promise<WorkloadResult> {
  const key = keys(ctx);
  if (ctx.mode === 'typical')
    return timed(ctx, count, async (i) => void (await ctx.handle.get(key(keyIndex(i)))));
  return timed(ctx, count, (i) => {
    const r = ctx.handle.getFast(key(keyIndex(i)));
    return r instanceof Promise ? r.then(() => undefined) : undefined;
  });
}

/** Loads every entry in batches, unmeasured (the base for read workloads). */
export async function load(ctx: RunContext): Promise<void> {
  const key = keys(ctx);
  const value = valuePool(ctx.valueSize);
  for (let start = 0; start < ctx.entries; start += BATCH) {
    const batch: [Uint8Array, Uint8Array][] = [];
    for (let i = start; i < Math.min(ctx.entries, start + BATCH); i++) batch.push([key(i), value(i)]);
    ctx.userBytes.value += batch.length * (ctx.keySize + ctx.valueSize);
    await ctx.handle.putMany(batch);
  }
}

/** Benchmarks that start from an empty database. */
export const FILL_WORKLOADS = ['fillseq', 'fillrandom', 'fillsync'] as const;
/** Benchmarks that run on a loaded database, in this order. */
export const LOADED_WORKLOADS = [
  'overwrite',
  'readrandom',
  'readmissing',
  'readhot',
  'seekrandom',
  'readseq',
  'readreverse',
  'readwhilewriting',
  'ycsb-a',
  'ycsb-b',
  'ycsb-c',
  'ycsb-d',
  'ycsb-e',
  'ycsb-f',
  'deleterandom',
] as const;
/** Every benchmark name. */
export const ALL_WORKLOADS: readonly string[] = [...FILL_WORKLOADS, ...LOADED_WORKLOADS];

/** Runs benchmark `name`. */
export async function runWorkload(name: string, ctx: RunContext): Promise<WorkloadResult> {
  const n = ctx.entries;
  const random = seededRandom(1234);
  const uniform = () => Math.floor(random() * n);
  const key = keys(ctx);
  switch (name) {
    case 'fillseq':
      return writes(ctx, n, (i) => i);
    case 'fillrandom':
    case 'overwrite':
      return writes(ctx, n, uniform);
    case 'fillsync':
      return writes(ctx, Math.max(100, Math.floor(n / 100)), uniform, true);
    case 'readrandom':
      return reads(ctx, n, uniform);
    case 'readmissing':
      return reads(ctx, n, () => n + uniform());
    case 'readhot': {
      const hot = Math.max(1, Math.floor(n / 100));
      return reads(ctx, n, () => Math.floor(random() * hot));
    }
    case 'seekrandom':
      return timed(ctx, Math.max(1, Math.floor(n / 10)), async (i) => {
        await ctx.handle.scan({ start: key(uniform() + (i & 0)), limit: 1 });
      });
    case 'readseq':
    case 'readreverse': {
      const started = performance.now();
      const count = await ctx.handle.scan({ reverse: name === 'readreverse' });
      const seconds = (performance.now() - started) / 1000;
      return { ops: count, seconds, opsPerSecond: count / seconds, p50: 0, p99: 0, p999: 0 };
    }
    case 'readwhilewriting': {
      let writing = true;
      const value = valuePool(ctx.valueSize, 7);
      const writer = (async () => {
        for (let i = 0; writing; i++) {
          ctx.userBytes.value += ctx.keySize + ctx.valueSize;
          await ctx.handle.put(key(uniform()), value(i), false);
        }
      })();
      const result = await reads(ctx, n, uniform);
      writing = false;
      await writer;
      return result;
    }
    case 'deleterandom':
      if (ctx.mode === 'typical') return timed(ctx, n, () => ctx.handle.del(key(uniform())));
      return timedBatches(ctx, n, (_start, count) =>
        ctx.handle.delMany(Array.from({ length: count }, () => key(uniform()))),
      );
    default:
      if (name.startsWith('ycsb-')) return ycsb(name.slice(5), ctx);
      throw new Error(`unknown benchmark ${name}`);
  }
}

/** YCSB core workloads A–F over scrambled zipfian keys. */
async function ycsb(letter: string, ctx: RunContext): Promise<WorkloadResult> {
  const random = seededRandom(99);
  let records = ctx.entries;
  const zipf = zipfian(ctx.entries, random);
  const key = keys(ctx);
  const value = valuePool(ctx.valueSize, 11);
  const pick = () => key(scramble(zipf(), records));
  const latest = () => key(Math.max(0, records - 1 - zipf()));
  const read = (k: Uint8Array) => (ctx.mode === 'typical' ? ctx.handle.get(k) : ctx.handle.getFast(k));
  const update = (k: Uint8Array, i: number) => {
    ctx.userBytes.value += ctx.keySize + ctx.valueSize;
    return ctx.handle.put(k, value(i), false);
  };
  const mixes: Record<string, (i: number) => Promise<unknown> | unknown> = {
    a: (i) => (random() < 0.5 ? read(pick()) : update(pick(), i)),
    b: (i) => (random() < 0.95 ? read(pick()) : update(pick(), i)),
    c: () => read(pick()),
    d: (i) => (random() < 0.95 ? read(latest()) : update(key(records++), i)),
    e: (i) =>
      random() < 0.95
        ? ctx.handle.scan({ start: pick(), limit: 1 + Math.floor(random() * 100) })
        : update(key(records++), i),
    f: async (i) => {
      const k = pick();
      if (random() < 0.5) return read(k);
      await read(k);
      return update(k, i);
    },
  };
  const mix = mixes[letter];
  if (mix === undefined) throw new Error(`unknown YCSB workload ${letter}`);
  return timed(ctx, ctx.entries, (i) => {
    const r = mix(i);
    return r instanceof Promise ? r.then(() => undefined) : undefined;
  });
}
