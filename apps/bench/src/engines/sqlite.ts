import type { Engine } from './engine.js';

/** SQLite through better-sqlite3 (a native addon): WAL journal, synchronous=NORMAL, WITHOUT ROWID table. */
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
    const scanFrom = db.prepare('SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT ?').raw();
    const scanFromReverse = db.prepare('SELECT k, v FROM kv WHERE k <= ? ORDER BY k DESC LIMIT ?').raw();
    const scanAll = db.prepare('SELECT k, v FROM kv ORDER BY k LIMIT ?').raw();
    const scanAllReverse = db.prepare('SELECT k, v FROM kv ORDER BY k DESC LIMIT ?').raw();
    const putMany = db.transaction((entries: readonly [Uint8Array, Uint8Array][]) => {
      for (const [k, v] of entries) put.run(k, v);
    });
    const delMany = db.transaction((keys: readonly Uint8Array[]) => {
      for (const k of keys) del.run(k);
    });
    let synchronousFull = false;
    return {
      put: async (k, v, sync) => {
        // A synced write needs synchronous=FULL (an fsync per commit); NORMAL only survives a process crash.
        if (sync !== synchronousFull) {
          db.pragma(`synchronous = ${sync ? 'FULL' : 'NORMAL'}`);
          synchronousFull = sync;
        }
        put.run(k, v);
      },
      get: async (k) => get.get(k) as Uint8Array | undefined,
      del: async (k) => {
        del.run(k);
      },
      putMany: async (entries) => putMany(entries),
      delMany: async (keys) => delMany(keys),
      getFast: (k) => get.get(k) as Uint8Array | undefined,
      async scan({ start, limit, reverse }) {
        const max = limit ?? -1;
        const stmt = start ? (reverse ? scanFromReverse : scanFrom) : reverse ? scanAllReverse : scanAll;
        let n = 0;
        for (const _ of (start ? stmt.iterate(start, max) : stmt.iterate(max)) as Iterable<unknown>) n++;
        return n;
      },
      close: async () => {
        db.close();
      },
    };
  },
};
