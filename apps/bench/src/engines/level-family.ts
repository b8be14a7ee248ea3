import { parseLeveldbSstables } from '../debt.js';
import { countEntries, type Engine, type EngineHandle } from './engine.js';

interface LevelIterator {
  seek(target: Uint8Array): void;
  next(): Promise<unknown>;
  nextv(size: number): Promise<unknown[]>;
  close(): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

/** The part of abstract-level 3 that classic-level and memory-level share. */
interface LevelLike {
  open(): Promise<void>;
  put(key: Uint8Array, value: Uint8Array, options?: object): Promise<void>;
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  getSync(key: Uint8Array): Uint8Array | undefined;
  getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  del(key: Uint8Array, options?: object): Promise<void>;
  batch(ops: object[], options?: object): Promise<void>;
  iterator(options?: object): LevelIterator;
  compactRange?(start: Uint8Array, end: Uint8Array): Promise<void>;
  /** classic-level only: LevelDB's properties (`leveldb.sstables`). */
  getProperty?(name: string): string;
  close(): Promise<void>;
}

function iteratorOptions(start?: Uint8Array, limit?: number, reverse?: boolean): Record<string, unknown> {
  const options: Record<string, unknown> = { reverse: reverse ?? false, limit: limit ?? -1 };
  if (start) options[reverse ? 'lte' : 'gte'] = start;
  return options;
}

/** Wraps an abstract-level database made by `create`. */
export function levelEngine(
  name: string,
  description: string,
  create: (dir: string) => Promise<LevelLike>,
): Engine {
  return {
    name,
    description,
    async open(dir) {
      const db = await create(dir);
      await db.open();
      const handle: EngineHandle = {
        put: (key, value, sync) => db.put(key, value, { sync }),
        get: (key) => db.get(key),
        del: (key) => db.del(key),
        getMany: (keys) => db.getMany(keys as Uint8Array[]),
        putMany: (pairs, sync) =>
          db.batch(
            pairs.map(([key, value]) => ({ type: 'put', key, value })),
            { sync },
          ),
        delMany: (keys) => db.batch(keys.map((key) => ({ type: 'del', key }))),
        getFast: (key) => db.getSync(key),
        getManyFast: (keys) => db.getMany(keys as Uint8Array[]),
        async scan({ start, limit, reverse, fast, onChunk }) {
          const it = db.iterator(iteratorOptions(start, limit, reverse));
          if (!fast) return countEntries(it, true, onChunk);
          let n = 0;
          for (;;) {
            const batch = await it.nextv(1000);
            if (batch.length === 0) break;
            n += batch.length;
            onChunk?.();
          }
          await it.close();
          return n;
        },
        seeker(fast) {
          if (!fast) {
            return {
              async seek(key) {
                const it = db.iterator({ gte: key, limit: 1 });
                const entry = await it.next();
                await it.close();
                return entry === undefined ? 0 : 1;
              },
              close() {},
            };
          }
          const it = db.iterator();
          return {
            async seek(key) {
              it.seek(key);
              return (await it.next()) === undefined ? 0 : 1;
            },
            close: () => it.close(),
          };
        },
        close: () => db.close(),
      };
      const compact = db.compactRange?.bind(db);
      if (compact) handle.compactRange = () => compact(new Uint8Array(0), new Uint8Array(64).fill(0xff));
      const property = db.getProperty?.bind(db);
      if (property) handle.levels = () => parseLeveldbSstables(property('leveldb.sstables'));
      return handle;
    },
  };
}

/** LevelDB through classic-level (a native addon). */
export const classicLevelEngine = levelEngine(
  'classic-level',
  'LevelDB (C++) via classic-level',
  async (dir) => {
    const { ClassicLevel } = await import('classic-level');
    return new ClassicLevel(dir, { keyEncoding: 'view', valueEncoding: 'view' }) as unknown as LevelLike;
  },
);

/** memory-level: an in-memory reference (a red-black tree in JavaScript), no durability. */
export const memoryLevelEngine = levelEngine(
  'memory-level',
  'in-memory reference (memory-level)',
  async () => {
    const { MemoryLevel } = await import('memory-level');
    return new MemoryLevel({ keyEncoding: 'view', valueEncoding: 'view' }) as unknown as LevelLike;
  },
);
