import type { Engine } from './engine.js';

/** LMDB through the lmdb package (a native addon). */
export const lmdbEngine: Engine = {
  name: 'lmdb',
  description: 'LMDB (C) via lmdb',
  async open(dir) {
    const { open } = await import('lmdb');
    const db = open({ path: dir, keyEncoding: 'binary', encoding: 'binary', compression: false });
    const asBytes = (v: unknown) => (v === undefined ? undefined : (v as Uint8Array));
    return {
      put: async (key, value, sync) => {
        await db.put(Buffer.from(key.buffer, key.byteOffset, key.byteLength), value);
        if (sync) await db.flushed;
      },
      get: async (key) => asBytes(db.get(Buffer.from(key.buffer, key.byteOffset, key.byteLength))),
      del: async (key) => {
        await db.remove(Buffer.from(key.buffer, key.byteOffset, key.byteLength));
      },
      putMany: (entries) =>
        db.transaction(() => {
          for (const [k, v] of entries) db.put(Buffer.from(k.buffer, k.byteOffset, k.byteLength), v);
        }) as Promise<void>,
      delMany: (keys) =>
        db.transaction(() => {
          for (const k of keys) db.remove(Buffer.from(k.buffer, k.byteOffset, k.byteLength));
        }) as Promise<void>,
      getFast: (key) => asBytes(db.get(Buffer.from(key.buffer, key.byteOffset, key.byteLength))),
      async scan({ start, limit, reverse }) {
        let n = 0;
        const options: Record<string, unknown> = { reverse: reverse ?? false };
        if (start) options.start = Buffer.from(start.buffer, start.byteOffset, start.byteLength);
        if (limit !== undefined) options.limit = limit;
        for (const _ of db.getRange(options)) n++;
        return n;
      },
      close: () => db.close(),
    };
  },
};
