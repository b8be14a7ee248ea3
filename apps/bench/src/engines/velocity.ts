import { DB } from '@velocity/db';
import type { Engine, EngineHandle } from './engine.js';

/** Velocity with its defaults. */
export const velocityEngine: Engine = {
  name: 'velocity',
  description: 'Velocity (pure TypeScript LSM)',
  async open(dir: string): Promise<EngineHandle> {
    const db = await DB.open(dir);
    return {
      put: (key, value, sync) => db.put(key, value, { sync }),
      get: (key) => db.get(key),
      del: (key) => db.delete(key),
      putMany: (entries) => db.write(entries.map(([key, value]) => ({ type: 'put' as const, key, value }))),
      delMany: (keys) => db.write(keys.map((key) => ({ type: 'del' as const, key }))),
      getFast: (key) => db.getSync(key),
      async scan({ start, limit, reverse }) {
        let n = 0;
        const it = reverse
          ? db.iterator({ lte: start, reverse: true, limit })
          : db.iterator({ gte: start, limit });
        for (const _ of it) n++;
        return n;
      },
      close: () => db.close(),
      bytesWritten: () => {
        const s = db.stats() as { bytesWritten?: number };
        return s.bytesWritten;
      },
    };
  },
};
