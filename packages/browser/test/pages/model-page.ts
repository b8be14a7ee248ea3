// A model-based run in the page: random operations through openBrowserDB against a sorted Map, with
// reopens in between (so what is checked has survived the worker's end). fast-check shrinks a failure.
import fc from 'fast-check';
import { type BrowserDB, openBrowserDB } from '../../src/index.js';

const text = new TextDecoder();
const keyArb = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'e'), minLength: 1, maxLength: 3 });
const valueArb = fc.string({ maxLength: 20 });
const rangeArb = fc.record(
  {
    gte: keyArb,
    lt: keyArb,
    reverse: fc.boolean(),
    limit: fc.integer({ min: 0, max: 10 }),
  },
  { requiredKeys: [] },
);

type Op =
  | { t: 'put'; k: string; v: string }
  | { t: 'del'; k: string }
  | { t: 'batch'; ops: { k: string; v?: string }[] }
  | { t: 'get'; k: string }
  | { t: 'race'; k: string; v: string; big: boolean }
  | { t: 'writeRace'; k: string; v?: string }
  | { t: 'getMany'; ks: string[] }
  | { t: 'scan'; range: { gte?: string; lt?: string; reverse?: boolean; limit?: number } }
  | { t: 'snapshot'; k: string; v: string }
  | { t: 'flush' }
  | { t: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('put' as const), k: keyArb, v: valueArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('del' as const), k: keyArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('batch' as const),
      ops: fc.array(fc.record({ k: keyArb, v: valueArb }, { requiredKeys: ['k'] }), { maxLength: 6 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('get' as const), k: keyArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('race' as const), k: keyArb, v: valueArb, big: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      { t: fc.constant('writeRace' as const), k: keyArb, v: valueArb },
      { requiredKeys: ['t', 'k'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('getMany' as const), ks: fc.array(keyArb, { maxLength: 5 }) }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('scan' as const), range: rangeArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('snapshot' as const), k: keyArb, v: valueArb }) },
  { weight: 1, arbitrary: fc.constant({ t: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'reopen' as const }) },
);

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
}

function modelScan(model: Map<string, string>, r: Extract<Op, { t: 'scan' }>['range']): [string, string][] {
  let entries = [...model].filter(
    ([k]) => (r.gte === undefined || k >= r.gte) && (r.lt === undefined || k < r.lt),
  );
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (r.reverse) entries.reverse();
  if (r.limit !== undefined) entries = entries.slice(0, r.limit);
  return entries;
}

const decode = (v: Uint8Array | undefined) => (v === undefined ? null : text.decode(v));

async function apply(
  db: BrowserDB,
  model: Map<string, string>,
  op: Op,
  name: string,
  sharedMemory: boolean,
): Promise<BrowserDB> {
  switch (op.t) {
    case 'put':
      await db.put(op.k, op.v);
      model.set(op.k, op.v);
      break;
    case 'del':
      await db.del(op.k);
      model.delete(op.k);
      break;
    case 'batch': {
      const batch = db.batch();
      for (const o of op.ops) {
        if (o.v === undefined) {
          batch.del(o.k);
          model.delete(o.k);
        } else {
          batch.put(o.k, o.v);
          model.set(o.k, o.v);
        }
      }
      await batch.write();
      break;
    }
    case 'get':
      expectEqual(decode(await db.get(op.k)), model.get(op.k) ?? null, `get ${op.k}`);
      break;
    case 'race': {
      // A get, a put of the same key and a get, in one tick: the first get (through shared memory on
      // an isolated page) sees the value before the put, the second the put. `big` values (70 KiB)
      // do not fit the shared buffer and come back by message.
      const v = op.big ? op.v.padEnd(70_000, '#') : op.v;
      const before = db.get(op.k);
      const put = db.put(op.k, v);
      const after = db.get(op.k);
      expectEqual(decode(await before), model.get(op.k) ?? null, `get before put ${op.k}`);
      await put;
      model.set(op.k, v);
      expectEqual(decode(await after), v, `get after put ${op.k}`);
      expectEqual(decode(await db.get(op.k)), v, `lone get after put ${op.k}`);
      break;
    }
    case 'writeRace': {
      // A lone put or delete (through shared memory on an isolated page) and, in the same tick, a
      // get and a scan (by message): both see the write, which the worker took first.
      const write = op.v === undefined ? db.del(op.k) : db.put(op.k, op.v);
      const after = db.get(op.k);
      const scan = db.iterator({ gte: op.k, lte: op.k }).all();
      await write;
      if (op.v === undefined) model.delete(op.k);
      else model.set(op.k, op.v);
      expectEqual(decode(await after), model.get(op.k) ?? null, `get after write ${op.k}`);
      expectEqual(
        (await scan).map(([, v]) => text.decode(v)),
        op.v === undefined ? [] : [op.v],
        `scan after write ${op.k}`,
      );
      break;
    }
    case 'getMany':
      expectEqual(
        (await db.getMany(op.ks)).map(decode),
        op.ks.map((k) => model.get(k) ?? null),
        `getMany ${op.ks}`,
      );
      break;
    case 'scan': {
      const got: [string, string][] = [];
      for await (const [k, v] of db.iterator(op.range)) got.push([text.decode(k), text.decode(v)]);
      expectEqual(got, modelScan(model, op.range), `scan ${JSON.stringify(op.range)}`);
      break;
    }
    case 'snapshot': {
      const before = new Map(model);
      const snap = db.snapshot();
      await db.put(op.k, op.v);
      model.set(op.k, op.v);
      expectEqual(decode(await snap.get(op.k)), before.get(op.k) ?? null, `snapshot get ${op.k}`);
      expectEqual((await snap.iterator().all()).length, before.size, 'snapshot scan size');
      await snap.release();
      break;
    }
    case 'flush':
      await db.flush();
      break;
    case 'reopen':
      await db.close();
      return openBrowserDB(name, { sharedMemory });
  }
  return db;
}

let run = 0;

/**
 * Runs `numRuns` random sequences; resolves with the number of operations applied, or rejects.
 * `sharedMemory` is passed to `openBrowserDB` (it needs a cross-origin-isolated page).
 */
export async function modelRun(numRuns: number, seed: number, sharedMemory = false): Promise<number> {
  let applied = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 60 }), async (ops) => {
      const name = `model-${seed}-${sharedMemory}-${run++}`;
      const model = new Map<string, string>();
      let db = await openBrowserDB(name, { sharedMemory });
      try {
        for (const op of ops) {
          db = await apply(db, model, op, name, sharedMemory);
          applied++;
        }
        db = await apply(db, model, { t: 'reopen' }, name, sharedMemory);
        await apply(db, model, { t: 'scan', range: {} }, name, sharedMemory);
      } finally {
        await db.close();
      }
    }),
    { numRuns, seed, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true },
  );
  return applied;
}
