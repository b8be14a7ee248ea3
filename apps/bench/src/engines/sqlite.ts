import { countEntries, type Engine } from './engine.js';

/**
 * SQLite through better-sqlite3 (a native addon): a `(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID` table,
 * WAL journal, `synchronous=NORMAL` (`FULL` for synced writes), prepared statements throughout; fast
 * mode wraps batches in transactions.
 */
export const sqliteEngine: Engine = {
  name: 'better-sqlite3',
  description: 'SQLite (C) via better-sqlite3, WAL mode',
  async open(dir) {
    const { default: Database } = await import('better-sqlite3');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const db = new Database(`${dir}/db.sqlite`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID');
    const put = db.prepare('INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)');
    const get = db.prepare('SELECT v FROM kv WHERE k = ?').pluck();
    const del = db.prepare('DELETE FROM kv WHERE k = ?');
    const scans = {
      from: db.prepare('SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT ?').raw(),
      fromReverse: db.prepare('SELECT k, v FROM kv WHERE k <= ? ORDER BY k DESC LIMIT ?').raw(),
      all: db.prepare('SELECT k, v FROM kv ORDER BY k LIMIT ?').raw(),
      allReverse: db.prepare('SELECT k, v FROM kv ORDER BY k DESC LIMIT ?').raw(),
    };
    const seekOne = db.prepare('SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT 1').raw();
    const putMany = db.transaction((pairs: readonly (readonly [Uint8Array, Uint8Array])[]) => {
      for (const [k, v] of pairs) put.run(k, v);
    });
    const delMany = db.transaction((keys: readonly Uint8Array[]) => {
      for (const k of keys) del.run(k);
    });
    const getMany = db.transaction((keys: readonly Uint8Array[]) =>
      keys.map((k) => get.get(k) as Uint8Array | undefined),
    );
    let synchronousFull = false;
    // A synced write needs synchronous=FULL (an fsync per commit); NORMAL survives a process crash only.
    const durability = (sync: boolean) => {
      if (sync !== synchronousFull) {
        db.pragma(`synchronous = ${sync ? 'FULL' : 'NORMAL'}`);
        synchronousFull = sync;
      }
    };
    return {
      put: async (k, v, sync) => {
        durability(sync);
        put.run(k, v);
      },
      get: async (k) => get.get(k) as Uint8Array | undefined,
      del: async (k) => {
        del.run(k);
      },
      getMany: async (keys) => getMany(keys),
      putMany: (pairs, sync) => {
        durability(sync);
        putMany(pairs);
        return undefined;
      },
      delMany: (keys) => {
        delMany(keys);
        return undefined;
      },
      getFast: (k) => get.get(k) as Uint8Array | undefined,
      getManyFast: (keys) => getMany(keys),
      scan: ({ start, limit, reverse, fast, onChunk }) => {
        const max = limit ?? -1;
        const rows = start
          ? (reverse ? scans.fromReverse : scans.from).iterate(start, max)
          : (reverse ? scans.allReverse : scans.all).iterate(max);
        return countEntries(rows as Iterable<unknown>, !fast, onChunk);
      },
      seeker(fast) {
        return {
          seek: fast
            ? (key) => (seekOne.get(key) === undefined ? 0 : 1)
            : async (key) => (seekOne.get(key) === undefined ? 0 : 1),
          close() {},
        };
      },
      close: async () => {
        db.close();
      },
    };
  },
};
