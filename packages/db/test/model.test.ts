// Model-based test: random command sequences (puts, deletes, range deletions, batches mixing them,
// reads, scans, snapshots, flushes, compactions) run against the database and against a sorted in-memory
// map, under several option sets (every compaction strategy); every read must agree with the model. Includes close/reopen and
// simulated power loss (MemoryFileSystem.crash), after which the database must equal the model after
// some prefix of the acknowledged writes that includes every synced one.
import { LruCache, S3FifoCache } from '@velocity/block-cache';
import { LazyLevelingCompaction, LeveledCompaction, TieredCompaction } from '@velocity/compaction';
import { fromUtf8, MemoryFileSystem } from '@velocity/core';
import { lz4Codec } from '@velocity/sstable';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DB, type DBOptions, type Snapshot } from '../src/index.js';

type Model = Map<string, string>;

/** The system under test and what the model knows. */
interface Real {
  db: DB;
  fs: MemoryFileSystem;
  options: DBOptions;
  /** Model state after each acknowledged write since the last durable point (index 0 = durable). */
  history: Model[];
  /** Index in `history` of the newest state that must survive a power loss. */
  durable: number;
}

const model = (r: Real) => r.history[r.history.length - 1];
const keyArb = fc
  .constantFrom(...'abcdefghijklmnop'.split(''))
  .chain((c) => fc.constantFrom(c, `${c}${c}`, `${c}x`));
const valueArb = fc
  .string({ minLength: 0, maxLength: 40 })
  .map((s) => `${s}`.padEnd(Math.floor(s.length * 3), '#'));

function sortedEntries(
  m: Model,
  o: { gte?: string; lt?: string; reverse?: boolean; limit?: number },
): [string, string][] {
  let entries = [...m.entries()].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (o.gte !== undefined)
    entries = entries.filter(([k]) => Buffer.compare(Buffer.from(k), Buffer.from(o.gte as string)) >= 0);
  if (o.lt !== undefined)
    entries = entries.filter(([k]) => Buffer.compare(Buffer.from(k), Buffer.from(o.lt as string)) < 0);
  if (o.reverse) entries.reverse();
  return o.limit === undefined ? entries : entries.slice(0, o.limit);
}

function dbEntries(
  db: DB,
  o: { gte?: string; lt?: string; reverse?: boolean; limit?: number; snapshot?: Snapshot } = {},
): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of db.iterator(o)) out.push([fromUtf8(k), fromUtf8(v)]);
  return out;
}

function record(r: Real, next: Model, synced: boolean): void {
  r.history.push(next);
  if (synced) r.durable = r.history.length - 1;
}

class Put implements fc.AsyncCommand<object, Real> {
  constructor(
    readonly key: string,
    readonly value: string,
    readonly sync: boolean,
  ) {}
  check = () => true;
  async run(_m: object, r: Real) {
    await r.db.put(this.key, this.value, { sync: this.sync });
    record(r, new Map(model(r)).set(this.key, this.value), this.sync);
  }
  toString = () => `put(${this.key}, ${this.value.length}b${this.sync ? ', sync' : ''})`;
}

class Delete implements fc.AsyncCommand<object, Real> {
  constructor(readonly key: string) {}
  check = () => true;
  async run(_m: object, r: Real) {
    await r.db.delete(this.key);
    const next = new Map(model(r));
    next.delete(this.key);
    record(r, next, false);
  }
  toString = () => `delete(${this.key})`;
}

class Write implements fc.AsyncCommand<object, Real> {
  constructor(
    readonly ops: { type: 'put' | 'del' | 'deleteRange'; key: string; value: string }[],
    readonly sync: boolean,
  ) {}
  check = () => true;
  async run(_m: object, r: Real) {
    // A range op deletes [min, max) of its key and value-derived second key.
    const range = (o: { key: string; value: string }) => {
      const other = o.value.slice(0, 2) || 'a';
      return before(other, o.key) ? [other, o.key] : [o.key, other];
    };
    await r.db.write(
      this.ops.map((o) => {
        if (o.type === 'put') return { type: 'put' as const, key: o.key, value: o.value };
        if (o.type === 'del') return { type: 'del' as const, key: o.key };
        const [start, end] = range(o);
        return { type: 'deleteRange' as const, start, end };
      }),
      { sync: this.sync },
    );
    let next = new Map(model(r));
    for (const o of this.ops) {
      if (o.type === 'put') next.set(o.key, o.value);
      else if (o.type === 'del') next.delete(o.key);
      else next = withoutRange(next, ...(range(o) as [string, string]));
    }
    // A batch of empty ranges only writes nothing, so it syncs nothing either.
    const empty = this.ops.every((o) => o.type === 'deleteRange' && range(o)[0] === range(o)[1]);
    record(r, next, this.sync && !empty);
  }
  toString = () => `write(${this.ops.length} ops${this.sync ? ', sync' : ''})`;
}

/** Byte order of two strings (the database's order). */
const before = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;

/** The model after deleting every key in [start, end). */
function withoutRange(m: Model, start: string, end: string): Model {
  const next = new Map(m);
  for (const k of m.keys()) if (!before(k, start) && before(k, end)) next.delete(k);
  return next;
}

class DeleteRange implements fc.AsyncCommand<object, Real> {
  constructor(
    readonly start: string,
    readonly end: string,
    readonly sync: boolean,
  ) {}
  check = () => true;
  async run(_m: object, r: Real) {
    const [start, end] = before(this.end, this.start) ? [this.end, this.start] : [this.start, this.end];
    const snap = r.db.snapshot();
    const seen = model(r);
    await r.db.deleteRange(start, end, { sync: this.sync });
    // An empty range writes nothing, so it syncs nothing either.
    record(r, withoutRange(seen, start, end), this.sync && start !== end);
    // A snapshot taken before still reads every key in the range.
    expect(dbEntries(r.db, { snapshot: snap, gte: start, lt: end })).toEqual(
      sortedEntries(seen, { gte: start, lt: end }),
    );
    snap.release();
  }
  toString = () => `deleteRange(${this.start}, ${this.end}${this.sync ? ', sync' : ''})`;
}

class Get implements fc.AsyncCommand<object, Real> {
  constructor(readonly keys: string[]) {}
  check = () => true;
  async run(_m: object, r: Real) {
    const expected = this.keys.map((k) => model(r).get(k));
    const got = (await r.db.getMany(this.keys)).map((v) => (v === undefined ? undefined : fromUtf8(v)));
    expect(got).toEqual(expected);
    expect(
      r.db.getSync(this.keys[0]) === undefined
        ? undefined
        : fromUtf8(r.db.getSync(this.keys[0]) as Uint8Array),
    ).toEqual(expected[0]);
  }
  toString = () => `getMany(${this.keys.join(',')})`;
}

class Scan implements fc.AsyncCommand<object, Real> {
  constructor(readonly o: { gte?: string; lt?: string; reverse?: boolean; limit?: number }) {}
  check = () => true;
  async run(_m: object, r: Real) {
    expect(dbEntries(r.db, this.o)).toEqual(sortedEntries(model(r), this.o));
  }
  toString = () => `scan(${JSON.stringify(this.o)})`;
}

class SnapshotRead implements fc.AsyncCommand<object, Real> {
  constructor(
    readonly key: string,
    readonly value: string,
  ) {}
  check = () => true;
  async run(_m: object, r: Real) {
    const before = model(r);
    const snap = r.db.snapshot();
    await r.db.put(this.key, this.value);
    record(r, new Map(before).set(this.key, this.value), false);
    expect(dbEntries(r.db, { snapshot: snap })).toEqual(sortedEntries(before, {}));
    const old = await r.db.get(this.key, { snapshot: snap });
    expect(old === undefined ? undefined : fromUtf8(old)).toEqual(before.get(this.key));
    snap.release();
  }
  toString = () => `snapshot+put(${this.key})`;
}

class Flush implements fc.AsyncCommand<object, Real> {
  check = () => true;
  async run(_m: object, r: Real) {
    await r.db.flush();
    r.durable = r.history.length - 1; // a flush makes everything before it durable
  }
  toString = () => 'flush';
}

class Compact implements fc.AsyncCommand<object, Real> {
  check = () => true;
  async run(_m: object, r: Real) {
    await r.db.compactRange({});
    r.durable = r.history.length - 1;
    expect(dbEntries(r.db)).toEqual(sortedEntries(model(r), {}));
  }
  toString = () => 'compactRange';
}

class Reopen implements fc.AsyncCommand<object, Real> {
  check = () => true;
  async run(_m: object, r: Real) {
    await r.db.close();
    r.db = await DB.open('/db', { ...r.options, fs: r.fs });
    r.history = [model(r)];
    r.durable = 0;
    expect(dbEntries(r.db)).toEqual(sortedEntries(model(r), {}));
  }
  toString = () => 'close+reopen';
}

class PowerLoss implements fc.AsyncCommand<object, Real> {
  check = () => true;
  async run(_m: object, r: Real) {
    r.fs = r.fs.crash();
    r.db = await DB.open('/db', { ...r.options, fs: r.fs });
    const recovered = new Map(dbEntries(r.db));
    // The recovered state is the state after some prefix of the acknowledged writes, at least every
    // synced one: never a later write without an earlier one, never a lost synced write.
    const same = (m: Model) => m.size === recovered.size && [...m].every(([k, v]) => recovered.get(k) === v);
    const prefix = r.history.findIndex((m, i) => i >= r.durable && same(m));
    expect(
      prefix,
      `recovered state is not a prefix at or after the last synced write (${r.durable})`,
    ).toBeGreaterThanOrEqual(0);
    r.history = [r.history[prefix]];
    r.durable = 0;
  }
  toString = () => 'power loss+reopen';
}

const commands = [
  fc.tuple(keyArb, valueArb, fc.boolean()).map(([k, v, s]) => new Put(k, v, s)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => new Put(k, v, false)),
  keyArb.map((k) => new Delete(k)),
  fc.tuple(keyArb, keyArb, fc.boolean()).map(([a, b, s]) => new DeleteRange(a, b, s)),
  fc
    .tuple(
      fc.array(
        fc.record({
          type: fc.constantFrom('put' as const, 'put' as const, 'del' as const, 'deleteRange' as const),
          key: keyArb,
          value: valueArb,
        }),
        { minLength: 1, maxLength: 8 },
      ),
      fc.boolean(),
    )
    .map(([ops, s]) => new Write(ops, s)),
  fc.array(keyArb, { minLength: 1, maxLength: 4 }).map((ks) => new Get(ks)),
  fc
    .record({
      gte: fc.option(keyArb, { nil: undefined }),
      lt: fc.option(keyArb, { nil: undefined }),
      reverse: fc.boolean(),
      limit: fc.option(fc.nat(6), { nil: undefined }),
    })
    .map((o) => new Scan(o)),
  fc.tuple(keyArb, valueArb).map(([k, v]) => new SnapshotRead(k, v)),
  fc.constant(new Flush()),
  fc.constant(new Compact()),
  fc.constant(new Reopen()),
  fc.constant(new PowerLoss()),
];

const optionSets: [string, () => DBOptions][] = [
  [
    'tiny memtable, leveled, S3-FIFO',
    () => ({
      memtableSize: 2048,
      blockSize: 128,
      compaction: new LeveledCompaction({
        level0FileTrigger: 2,
        maxBytesForLevelBase: 8192,
        targetFileSize: 2048,
      }),
      blockCache: new S3FifoCache({ capacity: 16384 }),
    }),
  ],
  [
    'tiny memtable, tiered, LRU, lz4',
    () => ({
      memtableSize: 2048,
      blockSize: 256,
      compaction: new TieredCompaction({ minMergeWidth: 2, maxRuns: 3 }),
      blockCache: new LruCache({ capacity: 8192 }),
      compression: lz4Codec,
    }),
  ],
  [
    'tiny memtable, lazy leveling',
    () => ({
      memtableSize: 2048,
      blockSize: 128,
      compaction: new LazyLevelingCompaction({ sizeRatio: 2, numLevels: 4, targetFileSize: 2048 }),
    }),
  ],
  ['defaults, no cache', () => ({ blockCache: null }) as DBOptions],
];

describe('the database against a sorted-map model', () => {
  for (const [name, makeOptions] of optionSets) {
    it(`agrees with the model: ${name}`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 60, size: 'max' }), async (cmds) => {
          const options = makeOptions();
          const fs = new MemoryFileSystem();
          const real: Real = {
            db: await DB.open('/db', { ...options, fs }),
            fs,
            options,
            history: [new Map()],
            durable: 0,
          };
          try {
            await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
            expect(dbEntries(real.db)).toEqual(sortedEntries(model(real), {}));
          } finally {
            await real.db.close();
          }
        }),
        { numRuns: Number(process.env.VELOCITY_MODEL_RUNS ?? 100) },
      );
    }, 300_000);
  }
});
