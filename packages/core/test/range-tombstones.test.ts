// RangeTombstoneIndex against a brute-force model: the newest covering sequence of every key at every
// read sequence, and fragments that do not overlap and cover exactly what the tombstones cover.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RangeTombstoneIndex,
  bytewiseComparator,
  compareBytes,
  coveringSequenceOf,
  rangeTombstoneBounds,
  extractUserKey,
  extractSequence,
  rangeBoundKey,
  rangeEndKey,
} from '../src/index.js';

const tombstonesArb = fc.array(
  fc.record({
    start: fc.nat(12),
    len: fc.integer({ min: -1, max: 6 }),
    sequence: fc.integer({ min: 1, max: 50 }),
  }),
  { maxLength: 12 },
);

const k = (n: number) => Uint8Array.of(n);

function brute(ts: { start: number; len: number; sequence: number }[], key: number, seq: number): number {
  let best = -1;
  for (const t of ts)
    if (t.start <= key && key < t.start + t.len && t.sequence <= seq) best = Math.max(best, t.sequence);
  return best;
}

describe('RangeTombstoneIndex', () => {
  it('answers the newest covering sequence as a brute-force scan does, and fragments do not overlap', () => {
    fc.assert(
      fc.property(tombstonesArb, (raw) => {
        const ts = raw.map((t) => ({
          start: k(t.start),
          end: k(Math.max(0, t.start + t.len)),
          sequence: t.sequence,
        }));
        const index = new RangeTombstoneIndex(bytewiseComparator, ts);
        for (let key = 0; key < 20; key++)
          for (const seq of [0, 1, 10, 25, 50, 100]) {
            expect(index.coveringSequence(k(key), seq)).toBe(brute(raw, key, seq));
            expect(
              coveringSequenceOf([index, new RangeTombstoneIndex(bytewiseComparator, [])], k(key), seq),
            ).toBe(brute(raw, key, seq));
          }
        const fragments = index.fragments();
        for (let i = 0; i < fragments.length; i++) {
          const f = fragments[i];
          expect(compareBytes(f.start, f.end)).toBeLessThan(0);
          if (i > 0) expect(compareBytes(fragments[i - 1].end, f.start)).toBeLessThanOrEqual(0);
          for (let j = 1; j < f.sequences.length; j++)
            expect(f.sequences[j - 1]).toBeGreaterThan(f.sequences[j] - 1);
          // Every key of the fragment is covered by exactly these sequences.
          const expected = raw
            .filter((t) => t.start <= f.start[0] && f.end[0] <= t.start + t.len)
            .map((t) => t.sequence)
            .sort((a, b) => b - a);
          expect([...f.sequences]).toEqual(expected);
        }
        expect(index.empty).toBe(fragments.length === 0);
      }),
      { numRuns: 300 },
    );
  });

  it('bounds a set of tombstones by its smallest start and largest end', () => {
    expect(rangeTombstoneBounds(bytewiseComparator, [])).toBeUndefined();
    const b = rangeTombstoneBounds(bytewiseComparator, [
      { start: k(5), end: k(9), sequence: 1 },
      { start: k(2), end: k(4), sequence: 2 },
    ])!;
    expect([...extractUserKey(b.smallest)]).toEqual([2]);
    expect([...extractUserKey(b.largest)]).toEqual([9]);
  });
});

describe('rangeEndKey', () => {
  it('records an end k + 00 as the last internal key of k in byte order, any other end as its first', () => {
    const zero = rangeEndKey(bytewiseComparator, Uint8Array.of(7, 0));
    expect([...extractUserKey(zero)]).toEqual([7]);
    expect(extractSequence(zero)).toBe(0);
    const plain = rangeEndKey(bytewiseComparator, Uint8Array.of(7));
    expect([...extractUserKey(plain)]).toEqual([7]);
    expect(plain).toEqual(rangeBoundKey(Uint8Array.of(7)));
    const reverse = { ...bytewiseComparator, compare: (a: Uint8Array, b: Uint8Array) => compareBytes(b, a) };
    expect(rangeEndKey(reverse, Uint8Array.of(7, 0))).toEqual(rangeBoundKey(Uint8Array.of(7, 0)));
  });
});
