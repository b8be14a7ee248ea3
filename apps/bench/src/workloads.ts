/**
 * The benchmarks, in the spirit of LevelDB's db_bench: what each one does in typical and fast mode.
 * YCSB's workloads are in ycsb.ts.
 * @module
 */
import type { Pair } from './engines/index.js';
import { seededRandom, valuePool } from './random.js';
import {
  newRecorder,
  type RunContext,
  summarize,
  timed,
  type WorkloadResult,
  yieldToEventLoop,
} from './timing.js';
import { ycsb } from './ycsb.js';

/** Items per call in fast mode: writes are batched by this many. */
export const BATCH = 1000;
/** Reads per timed call in fast mode (and between turns given to a concurrent writer). */
export const READ_CHUNK = 100;

/** A benchmark: its name, what it does, and how it runs. */
export interface Workload {
  readonly name: string;
  /** `fill`: starts from an empty database; `loaded`: runs on one holding every key. */
  readonly kind: 'fill' | 'loaded';
  /** One line for the README and the CLI's help. */
  readonly description: string;
  /** True when it writes (a later benchmark first lets the engine finish its background work). */
  readonly writes?: boolean;
  /**
   * True for fills (fillseq, fillrandom, fillsync, overwrite): they write every entry, with no time
   * box, and the worker then reports the compaction debt they left and the time the engine needed to
   * settle, so no engine looks fast by deferring work.
   */
  readonly fill?: boolean;
  /** True when it only means something in typical mode. */
  readonly typicalOnly?: boolean;
  /** True when it needs `compactRange` (LSM engines). */
  readonly needsCompaction?: boolean;
  /** True when it needs `deleteRange` (engines with range tombstones; the others skip it). */
  readonly needsRangeDelete?: boolean;
  /**
   * Work to do before the measurement (and before the event-loop sampler starts), such as building a
   * shuffled key order, which `run` then finds ready (see {@link shuffled}).
   */
  readonly prepare?: (ctx: RunContext) => void;
  readonly run: (ctx: RunContext) => Promise<WorkloadResult>;
}

/** A fill's time box: none, it writes all of its entries. */
const UNBOXED = Number.POSITIVE_INFINITY;

const keyMaker = (ctx: RunContext) => ctx.keys.key;
const uniformIn = (n: number, seed: number) => {
  const random = seededRandom(seed);
  return () => Math.floor(random() * n);
};

/** Writes `count` entries with keys from `keyIndex`: awaited puts (typical) or batches (fast). */
export function writes(
  ctx: RunContext,
  count: number,
  keyIndex: (i: number) => number,
  budgetMs: number,
  sync = false,
): Promise<WorkloadResult> {
  const key = keyMaker(ctx);
  const value = valuePool(ctx.valueSize);
  const entryBytes = ctx.keySize + ctx.valueSize;
  const handle = ctx.handle;
  if (ctx.mode === 'typical' || sync) {
    return timed(count, 1, budgetMs, (i) => {
      ctx.userBytes.value += entryBytes;
      return handle.put(key(keyIndex(i)), value(i), sync);
    });
  }
  return timed(count, BATCH, budgetMs, (start, n) => {
    const pairs: Pair[] = [];
    for (let i = start; i < start + n; i++) pairs.push([key(keyIndex(i)), value(i)]);
    ctx.userBytes.value += n * entryBytes;
    return handle.putMany(pairs, false);
  });
}

/**
 * `writers` loops running at once, each awaiting one durable put (`sync: true`) at a time, `count`
 * puts in all, as a server with that many requests in flight would issue them (the same in both
 * modes). Each put's latency is from its call to its acknowledgement, so it includes the wait for the
 * group commit and fsync it joins.
 */
export async function concurrentSyncWrites(
  ctx: RunContext,
  count: number,
  writers: number,
  keyIndex: (i: number) => number,
): Promise<WorkloadResult> {
  const key = keyMaker(ctx);
  const value = valuePool(ctx.valueSize);
  const entryBytes = ctx.keySize + ctx.valueSize;
  const handle = ctx.handle;
  const recorder = newRecorder();
  let next = 0;
  const writer = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await handle.put(key(keyIndex(i)), value(i), true);
      recorder.record(Number(process.hrtime.bigint() - t0) / 1000);
      ctx.userBytes.value += entryBytes;
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: writers }, writer));
  return summarize(recorder, count, Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * Reads `count` keys made by `keyFor`: awaited gets (typical) or synchronous gets in chunks (fast).
 * With `pause`, gives the event loop a turn (untimed) every READ_CHUNK reads.
 */
export async function reads(
  ctx: RunContext,
  count: number,
  keyFor: (i: number) => Uint8Array,
  pause?: () => Promise<void>,
): Promise<WorkloadResult> {
  const handle = ctx.handle;
  let found = 0;
  const result =
    ctx.mode === 'typical'
      ? await timed(
          count,
          1,
          ctx.budgetMs,
          async (i) => {
            if ((await handle.get(keyFor(i))) !== undefined) found++;
          },
          pause && { every: READ_CHUNK, pause },
        )
      : await timed(
          count,
          READ_CHUNK,
          ctx.budgetMs,
          (start, n) => {
            for (let i = start; i < start + n; i++) if (handle.getFast(keyFor(i)) !== undefined) found++;
            return undefined;
          },
          pause && { every: 1, pause },
        );
  return { ...result, found };
}

/** Loads keys `from .. entries - 1` in order, in batches, unmeasured (the base of `loaded` benchmarks). */
export async function load(ctx: RunContext, from = 0): Promise<void> {
  const key = keyMaker(ctx);
  const value = valuePool(ctx.valueSize);
  for (let start = from; start < ctx.entries; start += BATCH) {
    const pairs: Pair[] = [];
    for (let i = start; i < Math.min(ctx.entries, start + BATCH); i++) pairs.push([key(i), value(i)]);
    ctx.userBytes.value += pairs.length * (ctx.keySize + ctx.valueSize);
    await ctx.handle.putMany(pairs, false);
  }
}

/** Runs `seek` n times from `start`; awaits only the calls that return a promise. Adds hits to `hits`. */
function repeat(
  start: number,
  n: number,
  call: (i: number) => number | Promise<number>,
  hits: { value: number },
): Promise<void> | undefined {
  for (let i = start; i < start + n; i++) {
    const r = call(i);
    if (typeof r !== 'number') {
      return (async () => {
        hits.value += await r;
        for (let j = i + 1; j < start + n; j++) hits.value += await call(j);
      })();
    }
    hits.value += r;
  }
  return undefined;
}

async function seekRandom(ctx: RunContext): Promise<WorkloadResult> {
  const key = keyMaker(ctx);
  const uniform = uniformIn(ctx.entries, 21);
  const seeker = ctx.handle.seeker(ctx.mode === 'fast');
  const hits = { value: 0 };
  const perCall = ctx.mode === 'typical' ? 1 : READ_CHUNK;
  const result = await timed(ctx.entries, perCall, ctx.budgetMs, (start, n) =>
    repeat(start, n, () => seeker.seek(key(uniform())), hits),
  );
  await seeker.close();
  return { ...result, found: hits.value };
}

async function scanAll(ctx: RunContext, reverse: boolean): Promise<WorkloadResult> {
  const recorder = newRecorder();
  const started = process.hrtime.bigint();
  let last = started;
  const ops = await ctx.handle.scan({
    reverse,
    fast: ctx.mode === 'fast',
    onChunk() {
      const now = process.hrtime.bigint();
      recorder.record(Number(now - last) / 1000 / 1000);
      last = now;
    },
  });
  return summarize(recorder, ops, Number(process.hrtime.bigint() - started) / 1e9);
}

async function multiReadRandom(ctx: RunContext): Promise<WorkloadResult> {
  const key = keyMaker(ctx);
  const uniform = uniformIn(ctx.entries, 31);
  const handle = ctx.handle;
  let found = 0;
  const count = (values: (Uint8Array | undefined)[]) => {
    for (const v of values) if (v !== undefined) found++;
  };
  const result = await timed(ctx.entries, READ_CHUNK, ctx.budgetMs, (_start, n) => {
    const keys = Array.from({ length: n }, () => key(uniform()));
    if (ctx.mode === 'typical') return handle.getMany(keys).then(count);
    const values = handle.getManyFast(keys);
    if (values instanceof Promise) return values.then(count);
    count(values);
    return undefined;
  });
  return { ...result, found };
}

/** readwhilewriting: writes a concurrent writer keeps up with, per read. */
const WRITES_PER_READ = 0.1;

async function readWhileWriting(ctx: RunContext): Promise<WorkloadResult> {
  const key = keyMaker(ctx);
  const writeKey = uniformIn(ctx.entries, 41);
  const readKey = uniformIn(ctx.entries, 42);
  const value = valuePool(ctx.valueSize, 7);
  const entryBytes = ctx.keySize + ctx.valueSize;
  const perTurn = Math.round(READ_CHUNK * WRITES_PER_READ);
  let writing = true;
  let written = 0;
  let readsIssued = 0;
  const target = () => Math.floor(readsIssued * WRITES_PER_READ);
  // One process, one thread: the writer runs whenever the reader gives the event loop a turn (every
  // READ_CHUNK reads) and keeps up one write per 10 reads, its writes in flight while reads continue
  // where the engine works in the background. The reader waits for it if it falls behind, so every
  // engine does the same work; reads/s is over the whole wall time.
  const writer = (async () => {
    while (writing) {
      if (written >= target()) {
        await yieldToEventLoop();
        continue;
      }
      if (ctx.mode === 'typical') {
        await ctx.handle.put(key(writeKey()), value(written++), false);
        ctx.userBytes.value += entryBytes;
      } else {
        const pairs: Pair[] = [];
        for (let i = 0; i < perTurn; i++) pairs.push([key(writeKey()), value(written++)]);
        await ctx.handle.putMany(pairs, false);
        ctx.userBytes.value += pairs.length * entryBytes;
      }
    }
  })();
  const pause = async () => {
    await yieldToEventLoop();
    while (written < target() - perTurn) await yieldToEventLoop();
  };
  const result = await reads(
    ctx,
    ctx.entries,
    () => {
      readsIssued++;
      return key(readKey());
    },
    pause,
  );
  writing = false;
  await writer;
  return { ...result, extra: { writes: written } };
}

async function deleteRandom(ctx: RunContext): Promise<WorkloadResult> {
  const key = keyMaker(ctx);
  const uniform = uniformIn(ctx.entries, 51);
  const handle = ctx.handle;
  if (ctx.mode === 'typical') {
    return timed(ctx.entries, 1, ctx.budgetMs, () => {
      ctx.userBytes.value += ctx.keySize;
      return handle.del(key(uniform()));
    });
  }
  return timed(ctx.entries, BATCH, ctx.budgetMs, (_start, n) => {
    ctx.userBytes.value += n * ctx.keySize;
    return handle.delMany(Array.from({ length: n }, () => key(uniform())));
  });
}

/**
 * Range deletion: random reads of keys in and around the middle fifth of the key space (the middle
 * two fifths: half of them in the slice), then one `deleteRange` over that slice, then the same reads
 * again, each the best of 3 time-boxed passes. Untimed passes of other reads of the window first run
 * until the rate is steady (tables resident, caches warm); the first range deletion
 * of a database rewrites its format marker (an fsync or two), so one over a range that holds no key
 * is done first, untimed. Reports the reads after the deletion, with `extra.readCostRatio` (time per
 * read with the tombstone / without), `extra.deleteRangeMs` (the one write) and `extra.keysDeleted`.
 */
async function deleteRangeReads(ctx: RunContext): Promise<WorkloadResult> {
  const deleteRange = ctx.handle.deleteRange;
  if (!deleteRange) throw new Error('engine has no deleteRange');
  const n = ctx.entries;
  const from = Math.floor(n * 0.4);
  const to = Math.floor(n * 0.6);
  const windowStart = Math.floor(n * 0.3);
  const window = Math.max(1, Math.floor(n * 0.4));
  const count = Math.max(1, Math.floor(n / 2));
  const keyAt = (seed: number) => {
    const uniform = uniformIn(window, seed);
    return () => ctx.keys.key(windowStart + uniform());
  };
  // Until the read rate is steady (tables made resident in the background, caches warm): two passes in
  // a row within 10% of each other, at most 10 passes, untimed.
  let previous = 0;
  for (let pass = 0; pass < 10; pass++) {
    const rate = (await reads(ctx, count, keyAt(70 - pass))).opsPerSecond;
    if (previous > 0 && Math.abs(rate - previous) <= 0.1 * previous) break;
    previous = rate;
  }
  const bestOf3 = async (): Promise<WorkloadResult> => {
    let best: WorkloadResult | undefined;
    for (let i = 0; i < 3; i++) {
      const r = await reads(ctx, count, keyAt(71));
      if (best === undefined || r.opsPerSecond > best.opsPerSecond) best = r;
    }
    return best as WorkloadResult;
  };
  const without = await bestOf3();
  // Keys all have the same length, so none lies in [key 0 + 00, key 0 + 01).
  const first = ctx.keys.key(0);
  await deleteRange(Uint8Array.from([...first, 0]), Uint8Array.from([...first, 1]));
  const started = performance.now();
  await deleteRange(ctx.keys.key(from), ctx.keys.key(to));
  const deleteRangeMs = performance.now() - started;
  const withTombstone = await bestOf3();
  return {
    ...withTombstone,
    extra: {
      readsWithoutOpsPerSecond: without.opsPerSecond,
      readCostRatio: without.opsPerSecond / withTombstone.opsPerSecond,
      deleteRangeMs,
      keysDeleted: to - from,
    },
  };
}

/**
 * Put latency while a whole-database compaction runs: starts `compactRange` without awaiting it, and
 * times awaited single puts until it finishes (at most 20 budgets, then waits for it untimed).
 */
async function putLatencyDuringCompaction(ctx: RunContext): Promise<WorkloadResult> {
  const compactRange = ctx.handle.compactRange;
  if (!compactRange) throw new Error('engine has no compactRange');
  const key = keyMaker(ctx);
  const uniform = uniformIn(ctx.entries, 61);
  const value = valuePool(ctx.valueSize, 13);
  const recorder = newRecorder();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(ctx.budgetMs * 20) * 1_000_000n;
  let compactionSeconds = -1;
  const compaction = compactRange.call(ctx.handle).then(() => {
    compactionSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  });
  let ops = 0;
  let last = started;
  while (compactionSeconds < 0 && last < deadline) {
    const t0 = process.hrtime.bigint();
    await ctx.handle.put(key(uniform()), value(ops), false);
    last = process.hrtime.bigint();
    recorder.record(Number(last - t0) / 1000);
    ctx.userBytes.value += ctx.keySize + ctx.valueSize;
    ops++;
  }
  const measured = Number(last - started) / 1e9;
  await compaction;
  return { ...summarize(recorder, ops, measured), extra: { compactionSeconds } };
}

/** Every benchmark, in the order a run executes and reports them. */
export const WORKLOADS: readonly Workload[] = [
  {
    name: 'fillseq',
    writes: true,
    fill: true,
    kind: 'fill',
    description: 'write every key in ascending order into an empty database',
    run: (ctx) => writes(ctx, ctx.entries, (i) => i, UNBOXED),
  },
  {
    name: 'fillrandom',
    writes: true,
    fill: true,
    kind: 'fill',
    description: 'write every key once, in random order, into an empty database',
    prepare: (ctx) => void shuffled(ctx.entries, 11),
    run: (ctx) => {
      const order = shuffled(ctx.entries, 11);
      return writes(ctx, ctx.entries, (i) => order[i], UNBOXED);
    },
  },
  {
    name: 'fillsync',
    writes: true,
    fill: true,
    kind: 'fill',
    description:
      'random writes each acknowledged durable (sync: true; in both modes one write per call), entries/200 of them (100..5,000)',
    run: (ctx) => {
      const uniform = uniformIn(ctx.entries, 12);
      const count = Math.min(5000, Math.max(100, Math.floor(ctx.entries / 200)));
      return writes(ctx, count, uniform, UNBOXED, true);
    },
  },
  {
    name: 'fillsync16',
    writes: true,
    fill: true,
    kind: 'fill',
    description:
      'random writes each acknowledged durable (sync: true) from 16 concurrent writers, each awaiting its own; entries/50 of them (1,600..20,000)',
    run: (ctx) => {
      const uniform = uniformIn(ctx.entries, 17);
      const count = Math.min(20_000, Math.max(1600, Math.floor(ctx.entries / 50)));
      return concurrentSyncWrites(ctx, count, 16, uniform);
    },
  },
  {
    name: 'overwrite',
    writes: true,
    fill: true,
    kind: 'loaded',
    description: 'random writes over existing keys, as many as there are entries',
    run: (ctx) => writes(ctx, ctx.entries, uniformIn(ctx.entries, 13), UNBOXED),
  },
  {
    name: 'readrandom',
    kind: 'loaded',
    description: 'random point reads of present keys',
    run: (ctx) => {
      const uniform = uniformIn(ctx.entries, 14);
      return reads(ctx, ctx.entries, () => ctx.keys.key(uniform()));
    },
  },
  {
    name: 'readmissing',
    kind: 'loaded',
    description:
      'random point reads of absent keys inside the key range (a present key with its last byte made ".")',
    run: (ctx) => {
      const uniform = uniformIn(ctx.entries, 15);
      return reads(ctx, ctx.entries, () => ctx.keys.missing(uniform()));
    },
  },
  {
    name: 'readhot',
    kind: 'loaded',
    description: 'random point reads within the first 1% of keys',
    run: (ctx) => {
      const uniform = uniformIn(Math.max(1, Math.floor(ctx.entries / 100)), 16);
      return reads(ctx, ctx.entries, () => ctx.keys.key(uniform()));
    },
  },
  {
    name: 'multireadrandom',
    kind: 'loaded',
    description: 'random reads of 100 keys per call (getMany; SQLite: one transaction of gets)',
    run: multiReadRandom,
  },
  {
    name: 'seekrandom',
    kind: 'loaded',
    description: 'position an iterator at a random key and read one entry (fast: one iterator re-seeked)',
    run: seekRandom,
  },
  {
    name: 'readseq',
    kind: 'loaded',
    description: 'iterate over the whole database in key order (typical: for await; fast: native)',
    run: (ctx) => scanAll(ctx, false),
  },
  {
    name: 'readreverse',
    kind: 'loaded',
    description: 'iterate over the whole database in reverse key order',
    run: (ctx) => scanAll(ctx, true),
  },
  {
    name: 'readwhilewriting',
    kind: 'loaded',
    writes: true,
    description:
      'random reads while a concurrent writer in the same process keeps up one random write per 10 reads',
    run: readWhileWriting,
  },
  ...(['a', 'b', 'c', 'd', 'e', 'f'] as const).map(
    (letter): Workload => ({
      name: `ycsb-${letter}`,
      kind: 'loaded',
      writes: letter !== 'c',
      description: ycsb.descriptions[letter],
      run: (ctx) => ycsb.run(letter, ctx),
    }),
  ),
  {
    name: 'deleterandom',
    writes: true,
    kind: 'loaded',
    description: 'delete random keys',
    run: deleteRandom,
  },
  {
    name: 'deleterange',
    writes: true,
    kind: 'loaded',
    needsRangeDelete: true,
    description:
      'one deleteRange over the middle fifth of the keys, random reads in and around it before and after (velocity only: peers skip it)',
    run: deleteRangeReads,
  },
  {
    name: 'putlatency-compaction',
    writes: true,
    kind: 'loaded',
    typicalOnly: true,
    needsCompaction: true,
    description:
      'awaited single puts while compactRange rewrites the whole database (LSM engines, typical mode)',
    run: putLatencyDuringCompaction,
  },
];

/** Every benchmark name, in run order. */
export const ALL_WORKLOADS: readonly string[] = WORKLOADS.map((w) => w.name);

/** The last permutation made, so a workload's `prepare` can build it before it is measured. */
let lastShuffled: { n: number; seed: number; order: Uint32Array } | undefined;

/**
 * A seeded permutation of 0 .. n-1 (the same array again for the same arguments as the previous
 * call: shuffling 1M keys holds the event loop for ~100 ms, which is not the engine's doing).
 */
export function shuffled(n: number, seed: number): Uint32Array {
  if (lastShuffled !== undefined && lastShuffled.n === n && lastShuffled.seed === seed)
    return lastShuffled.order;
  const random = seededRandom(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  lastShuffled = { n, seed, order };
  return order;
}
