// db.getProperty: every documented name, under both prefixes, answers from the engine's live state;
// anything else is undefined.
import { utf8 } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { SMALL, key, openMemory, value } from './helpers.js';

describe('db.getProperty', () => {
  it('answers each documented name, with the velocity. and leveldb. prefixes alike', async () => {
    const { db } = await openMemory(SMALL);
    const before = Number(db.getProperty('velocity.approximate-memory-usage'));
    for (let i = 0; i < 50; i++) await db.put(key(i), value(i));
    expect(Number(db.getProperty('velocity.approximate-memory-usage'))).toBeGreaterThan(before);
    expect(db.getProperty('velocity.last-sequence')).toBe('50');
    expect(db.getProperty('leveldb.last-sequence')).toBe('50');
    expect(db.getProperty('velocity.compaction-strategy')).toBe('leveled');
    expect(db.getProperty('velocity.background-error')).toBe('');
    expect(Number(db.getProperty('velocity.log-number'))).toBeGreaterThan(0);
    expect(Number(db.getProperty('velocity.manifest-number'))).toBeGreaterThan(0);
    expect(db.getProperty('velocity.num-files-at-level0')).toBe('0');
    await db.flush();
    expect(db.getProperty('velocity.num-files-at-level0')).toBe('1');
    expect(db.getProperty('velocity.stats')).toMatch(/^level {2}files/);
    expect(db.getProperty('velocity.stats')).toContain('flushes: 1');
    await db.close();
  });

  it('counts snapshots, open iterators and live versions as they come and go', async () => {
    const { db } = await openMemory(SMALL);
    await db.put('a', '1');
    expect(db.getProperty('velocity.num-snapshots')).toBe('0');
    const snapshot = db.snapshot();
    expect(db.getProperty('velocity.num-snapshots')).toBe('1');
    const iterator = db.iterator();
    expect(db.getProperty('velocity.num-open-iterators')).toBe('1');
    await db.flush(); // the iterator keeps the version from before the flush alive
    expect(Number(db.getProperty('velocity.live-versions'))).toBeGreaterThanOrEqual(2);
    iterator.close();
    snapshot.release();
    expect(db.getProperty('velocity.num-open-iterators')).toBe('0');
    expect(db.getProperty('velocity.num-snapshots')).toBe('0');
    expect(db.getProperty('velocity.live-versions')).toBe('1');
    await db.close();
  });

  it('lists tables with printable keys quoted and other keys in hex', async () => {
    const { db } = await openMemory(SMALL);
    await db.put('plain', 'x');
    await db.put(new Uint8Array([0, 255]), 'y');
    await db.flush();
    const listing = db.getProperty('velocity.sstables') ?? '';
    expect(listing).toContain('--- level 0 ---');
    expect(listing).toContain('[0x00ff @');
    expect(listing).toContain('"plain" @');
    await db.close();
  });

  it('is undefined for unknown names, other prefixes, levels the strategy lacks, and non-strings', async () => {
    const { db } = await openMemory(SMALL);
    for (const name of ['velocity.nope', 'rocksdb.stats', 'stats', 'velocity.num-files-at-level99']) {
      expect(db.getProperty(name)).toBeUndefined();
    }
    expect(db.getProperty(5 as unknown as string)).toBeUndefined();
    expect(db.getProperty(String(utf8('velocity.stats')))).toBeUndefined();
    await db.close();
  });
});
