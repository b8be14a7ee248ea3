// A stream of writes running while a test copies the database, and the check that a copy holds a
// prefix of it (checkpoint.test.ts, backup.test.ts).
import { expect } from 'vitest';
import type { DB } from '../src/index.js';
import { key, text, value } from './helpers.js';

/**
 * Writes key(0), key(1), ... (every fifth as a batch with a second key, `key(i)b`), one write in flight
 * at a time, with a compaction now and then, until `stop()`; `acked` counts the writes acknowledged so
 * far, in order.
 */
export function writeStream(db: DB) {
  let acked = 0;
  let stopped = false;
  const done = (async () => {
    for (let i = 0; !stopped; i++) {
      if (i % 5 === 0) {
        await db.write([
          { type: 'put', key: key(i), value: value(i, 0, 200) },
          { type: 'put', key: `${key(i)}b`, value: value(i, 0, 200) },
        ]);
      } else {
        await db.put(key(i), value(i, 0, 200));
      }
      acked = i + 1;
      if (i % 97 === 0) void db.compactRange().catch(() => {});
    }
  })();
  return {
    get acked() {
      return acked;
    },
    /** Resolves once at least `n` writes were acknowledged. */
    async reach(n: number) {
      while (acked < n) await new Promise((resolve) => setTimeout(resolve, 1));
    },
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

/** The length of the prefix `db` holds: key(0..n-1) with their values (both keys of a batch), none after. */
export function prefixLength(db: DB, limit: number): number {
  let n = 0;
  while (n < limit && db.getSync(key(n)) !== undefined) {
    expect(text(db.getSync(key(n)))).toBe(value(n, 0, 200));
    if (n % 5 === 0) expect(text(db.getSync(`${key(n)}b`))).toBe(value(n, 0, 200));
    n++;
  }
  for (let i = n; i < limit; i++) expect(db.getSync(key(i)), `key ${i} after a gap at ${n}`).toBeUndefined();
  return n;
}
