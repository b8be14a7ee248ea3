// `addFrom` (key and value given as ranges of larger arrays, as the write path passes a write batch)
// builds exactly the memtable `add` builds: same entries in the same order, same answers to gets,
// for the bytewise comparator and a custom one, and the same refusals.
import { type Comparator, ValueKind, compareBytes, utf8 } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkipListMemTable } from '../src/index.js';

const reversed: Comparator = {
  name: 'test.reversed',
  compare: (a, b) => compareBytes(b, a),
  findShortestSeparator: (start) => start,
  findShortSuccessor: (key) => key,
};

function entries(mem: SkipListMemTable): [number[], number[]][] {
  const out: [number[], number[]][] = [];
  const it = mem.iterator();
  for (it.seekToFirst(); it.valid(); it.next()) out.push([[...it.key()], [...it.value()]]);
  return out;
}

const op = fc.record({
  key: fc.uint8Array({ maxLength: 12 }),
  value: fc.uint8Array({ maxLength: 40 }),
  del: fc.boolean(),
  before: fc.nat(9),
  between: fc.nat(9),
  after: fc.nat(9),
});

describe('SkipListMemTable.addFrom', () => {
  for (const [name, comparator] of [
    ['bytewise', undefined],
    ['a custom comparator', reversed],
  ] as const) {
    it(`equals add with ${name}`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
          const viaAdd = new SkipListMemTable(comparator);
          const viaRanges = new SkipListMemTable(comparator);
          ops.forEach(({ key, value, del, before, between, after }, i) => {
            const kind = del ? ValueKind.Delete : ValueKind.Put;
            viaAdd.add(i + 1, kind, key, value);
            // Key and value inside one array, with junk around and between them.
            const src = new Uint8Array(before + key.length + between + value.length + after).fill(0xee);
            src.set(key, before);
            const valueAt = before + key.length + between;
            src.set(value, valueAt);
            viaRanges.addFrom(
              i + 1,
              kind,
              src,
              before,
              before + key.length,
              src,
              valueAt,
              valueAt + value.length,
            );
          });
          expect(entries(viaRanges)).toEqual(entries(viaAdd));
          for (const { key } of ops) {
            for (const sequence of [0, ops.length >> 1, ops.length]) {
              expect(viaRanges.get(key, sequence)).toEqual(viaAdd.get(key, sequence));
            }
          }
        }),
      );
    });
  }

  it('refuses what add refuses: a duplicate (key, sequence) and a short expiry prefix', () => {
    const mem = new SkipListMemTable();
    const src = utf8('..key..value..');
    mem.addFrom(1, ValueKind.Put, src, 2, 5, src, 7, 12);
    expect(mem.get(utf8('key'), 1)).toEqual({ kind: 'put', value: utf8('value'), sequence: 1 });
    expect(() => mem.addFrom(1, ValueKind.Put, src, 2, 5, src, 7, 12)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => mem.addFrom(2, ValueKind.PutWithExpiry, src, 2, 5, src, 7, 10)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
