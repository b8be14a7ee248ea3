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
      level0SlowdownTrigger: 4, // no slowdown before the stop: this test is about the stop
      level0StopTrigger: 4,
    });
    // Compaction on the main thread, sharing it with the writes: with a worker thread, whether writes
    // outrun compaction depends on how the machine schedules two threads (on a loaded machine the
    // worker kept up and no stop happened).
    const { db } = await openMemory({ memtableSize: 16 * 1024, compaction, compactionThread: 'main' });
    const stalls: WriteStallEvent[] = [];
    db.on('write-stall', (e) => stalls.push(e));
    // Level-0 files after every flush: writes stop at 4, so at most the one flush that was running
    // when they stopped can land on top.
    const level0AfterFlush: number[] = [];
    db.on('flush', () => level0AfterFlush.push(db.stats().levels[0].files));
    // Bursts of writes in one tick fill memtables faster than compaction drains level 0.
    for (let round = 0; round < 30; round++) {
      await Promise.all(
        Array.from({ length: 200 }, (_, j) => db.put(key((round * 200 + j) % 700), value(j, round, 100))),
      );
    }
    expect(dump(db).length).toBe(700);
    expect(level0AfterFlush.length).toBeGreaterThan(10);
    expect(Math.max(...level0AfterFlush)).toBeLessThanOrEqual(5);
    // Writes were stopped by level 0 at least once, each time with level 0 at the trigger.
    const stops = stalls.filter((s) => s.cause === 'level0-stop');
    expect(stops.length).toBeGreaterThan(0);
    for (const s of stops) expect(s.level0Files).toBeGreaterThanOrEqual(4);
    await db.close();
  });
});
