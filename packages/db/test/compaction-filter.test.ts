// The compactionFilter option: what it sees and what its decisions do, that merges with a filter run
// on the main thread (also on the Node file system, where they would otherwise go to the worker), that
// compactionThread 'worker' with a filter is refused, and that snapshots are not filtered.
import type { CompactionFilter } from '@velocity/compaction';
import { fromUtf8, utf8 } from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import { describe, expect, it } from 'vitest';
import { type CompactionEvent, DB } from '../src/index.js';
import { dump, openMemory, rejection, text, useTempDirs } from './helpers.js';

const tempDir = useTempDirs('velocity-filter-');

/** Drops keys starting with `tmp:`, upper-cases values of `up:` keys, keeps the rest; records calls. */
function recordingFilter() {
  const calls: { key: string; value: string; level: number }[] = [];
  const filter: CompactionFilter = (key, value, level) => {
    const k = fromUtf8(key);
    calls.push({ key: k, value: fromUtf8(value), level });
    if (k.startsWith('tmp:')) return 'drop';
    if (k.startsWith('up:')) return { value: utf8(fromUtf8(value).toUpperCase()) };
    return 'keep';
  };
  return { calls, filter };
}

describe('compactionFilter', () => {
  it('keeps, drops and replaces values in merges, on the main thread even on the Node file system', async () => {
    const { calls, filter } = recordingFilter();
    const dir = tempDir();
    const db = await DB.open(dir, { fs: new NodeFileSystem(), compactionFilter: filter });
    const events: CompactionEvent[] = [];
    db.on('compaction', (e) => events.push(e));
    await db.put('keep', 'a');
    await db.put('tmp:x', 'b');
    await db.put('up:y', 'c', { ttl: 60_000 });
    await db.put('gone', 'd');
    await db.delete('gone');
    // Flushes do not filter.
    await db.flush();
    expect(dump(db).map(([k]) => k)).toEqual(['keep', 'tmp:x', 'up:y']);
    await db.compactRange();
    expect(dump(db)).toEqual([
      ['keep', 'a'],
      ['up:y', 'C'],
    ]);
    expect(calls.map((c) => c.key)).toEqual(['keep', 'tmp:x', 'up:y']);
    // The filter saw the value without its expiry prefix, and the output level.
    expect(calls[2].value).toBe('c');
    expect(calls.every((c) => c.level === db.stats().levels.findIndex((l) => l.files > 0))).toBe(true);
    const merges = events.filter((e) => !e.trivialMove);
    expect(merges.length).toBeGreaterThan(0);
    expect(merges.every((e) => e.thread === 'main')).toBe(true);
    await db.close();
  });

  it("is refused with compactionThread 'worker'", async () => {
    const error = await rejection(
      DB.open(tempDir(), {
        fs: new NodeFileSystem(),
        compactionThread: 'worker',
        compactionFilter: () => 'keep',
      }),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/compactionFilter/);
  });

  it('does not filter what a live snapshot sees', async () => {
    const { db } = await openMemory({ compactionFilter: () => 'drop' });
    // Two level-0 tables, so that the compaction merges (a lone table would just move down).
    await db.put('a', '1');
    await db.put('k', 'v');
    const snap = db.snapshot();
    await db.flush();
    await db.put('z', '2');
    await db.flush();
    await db.compactRange();
    expect(text(await db.get('k', { snapshot: snap }))).toBe('v');
    expect(text(await db.get('k'))).toBe('v');
    expect(await db.get('z')).toBeUndefined();
    snap.release();
    await db.put('b', 'w');
    await db.compactRange();
    expect(dump(db)).toEqual([]);
    await db.close();
  });

  it('a filter that throws fails the compaction and makes the database read-only', async () => {
    const { db } = await openMemory({
      compactionFilter: () => {
        throw new Error('filter bug');
      },
    });
    await db.put('a', 'v');
    await db.flush();
    await db.put('b', 'v');
    await db.flush();
    await expect(db.compactRange()).rejects.toThrow();
    expect(db.stats().readOnly).toBe(true);
    await db.close();
  });
});
