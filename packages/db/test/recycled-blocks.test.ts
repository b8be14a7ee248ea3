import { seededRandom } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { SMALL, key, openMemory, text, value } from './helpers.js';

describe('block memory recycled by the default block cache', () => {
  it('never changes what open iterators read, while random gets evict and re-use blocks', async () => {
    // A 64 KiB budget: nothing resident, a 64 KiB block cache, so nearly every get evicts a block.
    const { db } = await openMemory({ ...SMALL, memoryBudget: 64 * 1024, compactionThread: 'main' });
    const n = 6000;
    for (let i = 0; i < n; i += 500) {
      const batch = db.batch();
      for (let j = i; j < i + 500; j++) batch.put(key(j), value(j, 0, 200));
      await batch.write();
    }
    await db.flush();
    expect(db.stats().memory.residentTables).toBe(0);
    const random = seededRandom(9);
    const cursors = Array.from({ length: 6 }, (_, c) => {
      const at = Math.floor((c * n) / 6);
      return { at, it: db.iterator({ gte: key(at) }) };
    });
    for (let round = 0; round < 25; round++) {
      for (let g = 0; g < 300; g++) {
        const i = Math.floor(random() * n);
        expect(text(db.getSync(key(i)))).toBe(value(i, 0, 200));
      }
      for (const cursor of cursors) {
        const entry = cursor.it.nextSync();
        expect(text(entry?.[0])).toBe(key(cursor.at));
        expect(text(entry?.[1])).toBe(value(cursor.at, 0, 200));
        cursor.at++;
      }
    }
    expect(db.stats().blockCache?.evictions ?? 0).toBeGreaterThan(1000);
    for (const cursor of cursors) cursor.it.close();
    await db.close();
  });
});
