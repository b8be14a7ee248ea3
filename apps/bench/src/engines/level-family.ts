import type { Engine, EngineHandle } from './engine.js';

/** The part of abstract-level both classic-level and memory-level share. */
interface LevelLike {
  open(): Promise<void>;
  put(key: Uint8Array, value: Uint8Array, options?: object): Promise<void>;
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  getSync?(key: Uint8Array): Uint8Array | undefined;
  del(key: Uint8Array, options?: object): Promise<void>;
  batch(ops: object[]): Promise<void>;
  iterator(
    options: object,
  ): AsyncIterable<unknown> & { nextv(n: number): Promise<unknown[]>; close(): Promise<void> };
  close(): Promise<void>;
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
        putMany: (entries) => db.batch(entries.map(([key, value]) => ({ type: 'put', key, value }))),
        delMany: (keys) => db.batch(keys.map((key) => ({ type: 'del', key }))),
        getFast: (key) => (db.getSync ? db.getSync(key) : db.get(key)),
        async scan({ start, limit, reverse }) {
          const options: Record<string, unknown> = { reverse: reverse ?? false, limit: limit ?? -1 };
          if (start) options[reverse ? 'lte' : 'gte'] = start;
          const it = db.iterator(options);
          let n = 0;
          for (;;) {
            const batch = await it.nextv(1000);
            if (batch.length === 0) break;
            n += batch.length;
          }
          await it.close();
          return n;
        },
        close: () => db.close(),
      };
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

/** memory-level: an in-memory reference, no durability. */
export const memoryLevelEngine = levelEngine(
  'memory-level',
  'in-memory reference (memory-level)',
  async () => {
    const { MemoryLevel } = await import('memory-level');
    return new MemoryLevel({ keyEncoding: 'view', valueEncoding: 'view' }) as unknown as LevelLike;
  },
);
