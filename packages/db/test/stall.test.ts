import { LeveledCompaction } from '@velocity/compaction';
import { describe, expect, it } from 'vitest';
import type { WriteStallEvent } from '../src/index.js';
import { dump, key, openMemory, text, value } from './helpers.js';

describe('write stalls', () => {
  it('waits for the memtable flush instead of growing without bound', async () => {
    const { db } = await openMemory({ memtableSize: 32 * 1024 });
    const stalls: WriteStallEvent[] = [];
    db.on('write-stall', (e) => stalls.push(e));
    // 4 MiB written in one tick: several groups, each over the memtable budget.
    await Promise.all(Array.from({ length: 4000 }, (_, i) => db.put(key(i), value(i, 0, 1000))));
    expect(stalls.some((s) => s.cause === 'memtable')).toBe(true);
    expect(db.stats().stalls.count).toBeGreaterThan(0);
    for (let i = 0; i < 4000; i += 97) expect(text(db.getSync(key(i)))).toBe(value(i, 0, 1000));
    await db.close();
  });

  it('stops writes at the level-0 stop trigger until compaction catches up', async () => {
    const compaction = new LeveledCompaction({
      level0FileTrigger: 2,
      level0SlowdownTrigger: 3,
      level0StopTrigger: 4,
    });
    const { db } = await openMemory({ memtableSize: 16 * 1024, compaction });
    const stalls: WriteStallEvent[] = [];
    db.on('write-stall', (e) => stalls.push(e));
    for (let i = 0; i < 3000; i++) await db.put(key(i % 700), value(i, 0, 100));
    expect(dump(db).length).toBe(700);
    expect(db.stats().levels[0].files).toBeLessThanOrEqual(4);
    await db.close();
  });
});
