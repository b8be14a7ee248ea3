/**
 * YCSB's core workloads A–F over scrambled zipfian keys (skew 0.99), on a database holding every key.
 * Typical mode awaits each operation; fast mode runs 100 operations per call with synchronous reads,
 * the call's writes sent as one batch at its end.
 * @module
 */
import type { Pair } from './engines/index.js';
import { scramble, seededRandom, valuePool, zipfian } from './random.js';
import { type RunContext, timed, type WorkloadResult } from './timing.js';

/** The six workloads' letters. */
export type YcsbLetter = 'a' | 'b' | 'c' | 'd' | 'e' | 'f';

type Kind = 'read' | 'update' | 'insert' | 'scan' | 'rmw';

const OPS_PER_CALL = 100;

/** Picks the kind of the next operation from a uniform draw in [0, 1). */
const MIXES: Record<YcsbLetter, (u: number) => Kind> = {
  a: (u) => (u < 0.5 ? 'read' : 'update'),
  b: (u) => (u < 0.95 ? 'read' : 'update'),
  c: () => 'read',
  d: (u) => (u < 0.95 ? 'read' : 'insert'),
  e: (u) => (u < 0.95 ? 'scan' : 'insert'),
  f: (u) => (u < 0.5 ? 'read' : 'rmw'),
};

const DESCRIPTIONS: Record<YcsbLetter, string> = {
  a: 'YCSB A: 50% reads, 50% updates, zipfian keys',
  b: 'YCSB B: 95% reads, 5% updates, zipfian keys',
  c: 'YCSB C: reads only, zipfian keys',
  d: 'YCSB D: 95% reads of the latest keys, 5% inserts of new keys',
  e: 'YCSB E: 95% short scans (1-100 entries) from zipfian keys, 5% inserts',
  f: 'YCSB F: 50% reads, 50% read-modify-writes, zipfian keys',
};

async function run(letter: YcsbLetter, ctx: RunContext): Promise<WorkloadResult> {
  const random = seededRandom(99);
  const zipf = zipfian(ctx.entries, random);
  const value = valuePool(ctx.valueSize, 11);
  const handle = ctx.handle;
  const mix = MIXES[letter];
  const entryBytes = ctx.keySize + ctx.valueSize;
  let records = ctx.entries;
  let found = 0;
  const key = ctx.keys.key;
  // D reads the newest records most; the others read scrambled zipfian ranks.
  const readKey = () => key(letter === 'd' ? Math.max(0, records - 1 - zipf()) : scramble(zipf(), records));
  const scanLength = () => 1 + Math.floor(random() * 100);

  if (ctx.mode === 'typical') {
    const op = async (i: number): Promise<void> => {
      switch (mix(random())) {
        case 'read':
          if ((await handle.get(readKey())) !== undefined) found++;
          return;
        case 'update':
          ctx.userBytes.value += entryBytes;
          return handle.put(readKey(), value(i), false);
        case 'insert':
          ctx.userBytes.value += entryBytes;
          return handle.put(key(records++), value(i), false);
        case 'scan':
          found += await handle.scan({ start: readKey(), limit: scanLength(), fast: false });
          return;
        case 'rmw': {
          const k = readKey();
          if ((await handle.get(k)) !== undefined) found++;
          ctx.userBytes.value += entryBytes;
          return handle.put(k, value(i), false);
        }
      }
    };
    const result = await timed(ctx.entries, 1, ctx.budgetMs, op);
    return { ...result, found };
  }

  const result = await timed(ctx.entries, OPS_PER_CALL, ctx.budgetMs, (start, n) => {
    const pairs: Pair[] = [];
    const scans: { start: Uint8Array; limit: number }[] = [];
    for (let i = start; i < start + n; i++) {
      switch (mix(random())) {
        case 'read':
          if (handle.getFast(readKey()) !== undefined) found++;
          break;
        case 'update':
          pairs.push([readKey(), value(i)]);
          break;
        case 'insert':
          pairs.push([key(records++), value(i)]);
          break;
        case 'scan':
          scans.push({ start: readKey(), limit: scanLength() });
          break;
        case 'rmw': {
          const k = readKey();
          if (handle.getFast(k) !== undefined) found++;
          pairs.push([k, value(i)]);
          break;
        }
      }
    }
    ctx.userBytes.value += pairs.length * entryBytes;
    if (scans.length === 0) return pairs.length > 0 ? handle.putMany(pairs, false) : undefined;
    return (async () => {
      for (const s of scans) found += await handle.scan({ ...s, fast: true });
      if (pairs.length > 0) await handle.putMany(pairs, false);
    })();
  });
  return { ...result, found };
}

/** YCSB A–F: their one-line descriptions and the runner. */
export const ycsb = { descriptions: DESCRIPTIONS, run };
