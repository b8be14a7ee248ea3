import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayIterator, bytewiseComparator, compareBytes, MergingIterator } from '../src/index.js';

type Entry = readonly [Uint8Array, Uint8Array];

const keyArb = fc.uint8Array({ minLength: 0, maxLength: 4, max: 8 });
/** Several sorted runs with distinct keys overall (the engine's internal keys are unique). */
const runsArb = fc
  .uniqueArray(keyArb, { selector: (k) => Array.from(k).join(','), maxLength: 40 })
  .chain((keys) =>
    fc.tuple(fc.constant(keys), fc.array(fc.nat(4), { minLength: keys.length, maxLength: keys.length })),
  )
  .map(([keys, owners]) => {
    const runs: Entry[][] = [[], [], [], [], []];
    keys.forEach((k, i) => {
      runs[owners[i]].push([k, Uint8Array.of(owners[i])]);
    });
    for (const run of runs) run.sort((a, b) => compareBytes(a[0], b[0]));
    return runs;
  });

function merged(runs: Entry[][]): Entry[] {
  return runs.flat().sort((a, b) => compareBytes(a[0], b[0]));
}

function make(runs: Entry[][]): MergingIterator {
  return new MergingIterator(
    bytewiseComparator,
    runs.map((r) => new ArrayIterator(bytewiseComparator, r)),
  );
}

function collectForward(it: MergingIterator): Entry[] {
  const out: Entry[] = [];
  for (it.seekToFirst(); it.valid(); it.next()) out.push([it.key(), it.value()]);
  return out;
}

describe('MergingIterator', () => {
  it('iterates the union in order, forward and backward', () => {
    fc.assert(
      fc.property(runsArb, (runs) => {
        const expected = merged(runs);
        const it = make(runs);
        expect(collectForward(it)).toEqual(expected);
        const back: Entry[] = [];
        for (it.seekToLast(); it.valid(); it.prev()) back.push([it.key(), it.value()]);
        expect(back).toEqual([...expected].reverse());
      }),
    );
  });

  it('seeks to the first key >= target', () => {
    fc.assert(
      fc.property(runsArb, keyArb, (runs, target) => {
        const expected = merged(runs).find(([k]) => compareBytes(k, target) >= 0);
        const it = make(runs);
        it.seek(target);
        if (expected === undefined) expect(it.valid()).toBe(false);
        else expect([it.key(), it.value()]).toEqual(expected);
      }),
    );
  });

  it('follows any walk of next/prev like an index into the sorted union', () => {
    fc.assert(
      fc.property(runsArb, fc.array(fc.boolean(), { maxLength: 30 }), keyArb, (runs, moves, target) => {
        const expected = merged(runs);
        const it = make(runs);
        it.seek(target);
        let index = expected.findIndex(([k]) => compareBytes(k, target) >= 0);
        if (index < 0) index = expected.length;
        for (const forward of moves) {
          if (!it.valid()) break;
          if (forward) {
            it.next();
            index++;
          } else {
            it.prev();
            index--;
          }
          if (index < 0 || index >= expected.length) {
            expect(it.valid()).toBe(false);
            break;
          }
          expect([it.key(), it.value()]).toEqual(expected[index]);
        }
      }),
    );
  });

  it('is empty with no children', () => {
    const it = make([]);
    it.seekToFirst();
    expect(it.valid()).toBe(false);
  });
});
