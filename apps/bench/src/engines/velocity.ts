import { countEntries, type Engine, type EngineHandle } from './engine.js';

/**
 * Options for experiments: `VELOCITY_BENCH_OPTIONS='{"backgroundSliceMs":1}'` (JSON, plain values
 * only) is passed to `DB.open`. Unset, Velocity runs with its defaults, as the suite reports it.
 */
export function velocityOptions(): Record<string, unknown> {
  const text = process.env.VELOCITY_BENCH_OPTIONS;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Velocity with its default options. Loaded lazily, so the other engines run without its build. */
export const velocityEngine: Engine = {
  name: 'velocity',
  description: 'Velocity (pure TypeScript LSM tree)',
  async open(dir: string): Promise<EngineHandle> {
    let velocity: typeof import('@velocity/db');
    try {
      velocity = await import('@velocity/db');
    } catch (error) {
      throw new Error(`@velocity/db is not built (packages/db/dist): ${(error as Error).message}`);
    }
    const { DB, DEFAULT_MEMTABLE_SIZE, defaultCompaction } = velocity;
    const options = velocityOptions();
    // The strategy DB.open would make by default, given explicitly so that the levels' byte targets
    // (for compaction debt) are the ones the engine uses.
    const compaction = defaultCompaction(
      (options.memtableSize as number | undefined) ?? DEFAULT_MEMTABLE_SIZE,
    );
    const db = await DB.open(dir, { compaction, ...options });
    return {
      put: (key, value, sync) => db.put(key, value, { sync }),
      get: (key) => db.get(key),
      del: (key) => db.delete(key),
      getMany: (keys) => db.getMany(keys),
      putMany: (pairs, sync) =>
        db.write(
          pairs.map(([key, value]) => ({ type: 'put' as const, key, value })),
          { sync },
        ),
      delMany: (keys) => db.write(keys.map((key) => ({ type: 'del' as const, key }))),
      getFast: (key) => db.getSync(key),
      getManyFast: (keys) => db.getManySync(keys),
      scan: ({ start, limit, reverse, fast, onChunk }) =>
        countEntries(
          reverse ? db.iterator({ lte: start, reverse: true, limit }) : db.iterator({ gte: start, limit }),
          !fast,
          onChunk,
        ),
      seeker(fast) {
        if (!fast) {
          return {
            async seek(key) {
              for await (const _ of db.iterator({ gte: key, limit: 1 })) return 1;
              return 0;
            },
            close() {},
          };
        }
        const it = db.iterator();
        return {
          seek(key) {
            it.seek(key);
            return it.nextSync() === undefined ? 0 : 1;
          },
          close: () => it.close(),
        };
      },
      deleteRange: (start, end) => db.deleteRange(start, end),
      compactRange: () => db.compactRange({}),
      levels: () =>
        db.stats().levels.map(({ files, bytes }, level) => ({
          files,
          bytes,
          targetBytes: level > 0 ? compaction.maxBytesForLevel(level) : undefined,
        })),
      bytesWritten: () => db.stats().bytesWritten,
      close: () => db.close(),
    };
  },
};
