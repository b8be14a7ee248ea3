import { countEntries, type Engine } from './engine.js';

/** LMDB through the lmdb package (a native addon), binary keys and values, no compression. */
export const lmdbEngine: Engine = {
  name: 'lmdb',
  description: 'LMDB (C) via lmdb',
  async open(dir) {
    const { open } = await import('lmdb');
    const db = open({ path: dir, keyEncoding: 'binary', encoding: 'binary', compression: false });
    const get = (key: Uint8Array) => db.get(key as Buffer) as Uint8Array | undefined;
    return {
      put: async (key, value, sync) => {
        await db.put(key as Buffer, value);
        if (sync) await db.flushed;
      },
      // lmdb reads are synchronous; typical code still awaits once per operation.
      get: async (key) => get(key),
      del: async (key) => {
        await db.remove(key as Buffer);
      },
      getMany: (keys) => db.getMany(keys as Buffer[]) as Promise<(Uint8Array | undefined)[]>,
      putMany: (pairs, sync) =>
        db
          .transaction(() => {
            for (const [k, v] of pairs) db.put(k as Buffer, v);
          })
          .then(() => (sync ? db.flushed : undefined)) as Promise<void>,
      delMany: (keys) =>
        db.transaction(() => {
          for (const k of keys) db.remove(k as Buffer);
        }) as Promise<void>,
      getFast: get,
      getManyFast: (keys) => keys.map(get),
      scan: ({ start, limit, reverse, fast, onChunk }) => {
        const options: Record<string, unknown> = { reverse: reverse ?? false };
        if (start) options.start = start;
        if (limit !== undefined) options.limit = limit;
        return countEntries(db.getRange(options), !fast, onChunk);
      },
      seeker(fast) {
        return {
          seek: fast
            ? (key) => {
                for (const _ of db.getRange({ start: key as Buffer, limit: 1 })) return 1;
                return 0;
              }
            : async (key) => {
                for await (const _ of db.getRange({ start: key as Buffer, limit: 1 })) return 1;
                return 0;
              },
          close() {},
        };
      },
      close: () => db.close(),
    };
  },
};
