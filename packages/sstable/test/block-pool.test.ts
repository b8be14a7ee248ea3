import { S3FifoCache } from '@velocity/block-cache';
import { MemoryFileSystem, compareBytes, seededRandom } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { BlockPool, TableReader } from '../src/index.js';
import { type Entry, buildTable } from './helpers.js';

describe('BlockPool', () => {
  it('hands a released array out again, never a lent one, and holds at most its bound', () => {
    const pool = new BlockPool(4096);
    const a = pool.take(1000);
    pool.release(a);
    const b = pool.take(900);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(900);
    expect(pool.reused).toBe(1);
    pool.lend(b);
    pool.release(b);
    expect(pool.take(900).buffer).not.toBe(b.buffer);
    // Released twice: in the free list once.
    const c = pool.take(3000);
    pool.release(c);
    pool.release(c);
    expect(pool.heldBytes).toBe(3072);
    expect(pool.take(3000).buffer).toBe(c.buffer);
    expect(pool.take(3000).buffer).not.toBe(c.buffer);
    // Past the bound, or not the pool's: not kept.
    pool.release(pool.take(5000));
    pool.release(new Uint8Array(1024));
    expect(pool.heldBytes).toBe(0);
  });
});

describe('blocks read into recycled memory', () => {
  it('never change under a live iterator or a value from get(), through heavy eviction', () => {
    const fs = new MemoryFileSystem();
    const entries: Entry[] = [];
    for (let i = 0; i < 3000; i++) {
      const key = new TextEncoder().encode(`key${String(i).padStart(6, '0')}`);
      entries.push([key, new Uint8Array(60).fill(i % 251)]);
    }
    entries.sort((x, y) => compareBytes(x[0], y[0]));
    buildTable(fs, entries, { blockSize: 512 });
    const pool = new BlockPool();
    // Room for about four blocks: nearly every read evicts one, whose memory the next read re-uses.
    const blockCache = new S3FifoCache<string, Uint8Array>({
      capacity: 2048,
      onEvict: (_key, block) => pool.release(block),
    });
    const table = TableReader.open(fs.openReadable('/t.sst'), { blockCache, blockPool: pool, cacheId: 1 });
    const random = seededRandom(5);
    const pick = () => Math.floor(random() * entries.length);
    const iterators = Array.from({ length: 8 }, () => {
      const at = pick();
      const it = table.iterator();
      it.seek(entries[at][0]);
      return { it, at };
    });
    const kept = Array.from({ length: 8 }, () => {
      const at = pick();
      return { at, got: table.get(entries[at][0]) };
    });
    for (let round = 0; round < 40; round++) {
      for (let n = 0; n < 200; n++) {
        const at = pick();
        const hit = table.lookup(entries[at][0]);
        expect(hit?.value()).toEqual(entries[at][1]);
      }
      for (const cursor of iterators) {
        if (cursor.at >= entries.length) continue;
        expect(cursor.it.valid()).toBe(true);
        expect(cursor.it.key()).toEqual(entries[cursor.at][0]);
        expect(cursor.it.value()).toEqual(entries[cursor.at][1]);
        cursor.it.next();
        cursor.at++;
      }
      for (const { at, got } of kept) expect(got?.value).toEqual(entries[at][1]);
    }
    expect(pool.reused).toBeGreaterThan(1000);
    table.close();
  });
});
