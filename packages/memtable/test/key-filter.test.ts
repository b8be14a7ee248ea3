// The memtable's key filter: never a false negative, through every growth of its bit array, and few
// false positives; the memtable answers absent keys from it and present ones as before.
import { utf8, ValueKind } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../src/key-filter.js';
import { SkipListMemTable } from '../src/skip-list-memtable.js';

describe('KeyFilter', () => {
  it('says yes for every key added, however many', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uint8Array({ maxLength: 24 }), { maxLength: 3000 }), (keys) => {
        const filter = new KeyFilter();
        for (const k of keys) filter.add(k);
        for (const k of keys) expect(filter.mayContain(k)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('says no for most keys never added (under 6% false positives at any size)', () => {
    const filter = new KeyFilter();
    let added = 0;
    for (const target of [1000, 5000, 20_000, 100_000]) {
      for (; added < target; added++) filter.add(utf8(`present-${added}`));
      let positives = 0;
      for (let i = 0; i < 20_000; i++) if (filter.mayContain(utf8(`absent-${i}`))) positives++;
      expect(positives / 20_000).toBeLessThan(0.06);
    }
    for (let i = 0; i < added; i += 7) expect(filter.mayContain(utf8(`present-${i}`))).toBe(true);
    // 8 to 16 bits per key, plus a kept 4-byte hash (its array doubles too).
    expect(filter.byteSize).toBeLessThan(added * 12);
  });
});

describe('SkipListMemTable with its key filter', () => {
  it('finds what it holds and nothing else', () => {
    const mem = new SkipListMemTable();
    for (let i = 0; i < 5000; i++) mem.add(i + 1, ValueKind.Put, utf8(`k${i * 2}`), utf8(`v${i}`));
    for (let i = 0; i < 5000; i++) {
      expect(mem.get(utf8(`k${i * 2}`), 10_000)?.kind).toBe('put');
      expect(mem.get(utf8(`k${i * 2 + 1}`), 10_000)).toBeUndefined();
    }
  });
});
