import {
  ArrayIterator,
  InternalKeyComparator,
  MergingIterator,
  ValueKind,
  bytewiseComparator,
  compareBytes,
  makeInternalKey,
  toHex,
} from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Bound, DbCursor } from '../src/db-cursor.js';

const icmp = new InternalKeyComparator(bytewiseComparator);

interface Op {
  key: number;
  del: boolean;
}

/** Internal entries from ops (sequence = index + 1), spread over `sources` sorted arrays. */
function build(ops: Op[], sources: number): MergingIterator {
  const parts: [Uint8Array, Uint8Array][][] = Array.from({ length: sources }, () => []);
  ops.forEach((op, i) => {
    const ik = makeInternalKey(new Uint8Array([op.key]), i + 1, op.del ? ValueKind.Delete : ValueKind.Put);
    parts[i % sources].push([ik, op.del ? new Uint8Array(0) : new Uint8Array([op.key, i & 0xff])]);
  });
  return new MergingIterator(
    icmp,
    parts.map(
      (p) =>
        new ArrayIterator(
          icmp,
          p.sort((a, b) => icmp.compare(a[0], b[0])),
        ),
    ),
  );
}

/** What a reader at `sequence` sees, sorted by key. */
function model(ops: Op[], sequence: number, lower?: Bound, upper?: Bound): [string, string][] {
  const state = new Map<number, string | undefined>();
  ops.forEach((op, i) => {
    if (i + 1 <= sequence) state.set(op.key, op.del ? undefined : toHex(new Uint8Array([op.key, i & 0xff])));
  });
  const out: [string, string][] = [];
  for (const [k, v] of [...state.entries()].sort((a, b) => a[0] - b[0])) {
    if (v === undefined) continue;
    const key = new Uint8Array([k]);
    if (lower && (lower.inclusive ? compareBytes(key, lower.key) < 0 : compareBytes(key, lower.key) <= 0))
      continue;
    if (upper && (upper.inclusive ? compareBytes(key, upper.key) > 0 : compareBytes(key, upper.key) >= 0))
      continue;
    out.push([toHex(key), v]);
  }
  return out;
}

const arbOps = fc.array(fc.record({ key: fc.integer({ min: 0, max: 12 }), del: fc.boolean() }), {
  maxLength: 60,
});
const arbBound = fc.option(
  fc.record({
    key: fc.integer({ min: 0, max: 13 }).map((k) => new Uint8Array([k])),
    inclusive: fc.boolean(),
  }),
  { nil: undefined },
);

describe('DbCursor', () => {
  it('forward and reverse scans match the model', () => {
    fc.assert(
      fc.property(
        arbOps,
        fc.integer({ min: 1, max: 4 }),
        fc.nat(70),
        arbBound,
        arbBound,
        (ops, sources, seq, lo, hi) => {
          const expected = model(ops, seq, lo, hi);
          const c = new DbCursor(build(ops, sources), bytewiseComparator, seq, lo, hi);
          const fwd: [string, string][] = [];
          for (c.seekToFirst(); c.valid(); c.next()) fwd.push([toHex(c.key()), toHex(c.value())]);
          expect(fwd).toEqual(expected);
          const rev: [string, string][] = [];
          for (c.seekToLast(); c.valid(); c.prev()) rev.push([toHex(c.key()), toHex(c.value())]);
          expect(rev).toEqual([...expected].reverse());
        },
      ),
    );
  });

  it('direction changes and seeks match the model', () => {
    fc.assert(
      fc.property(
        arbOps,
        fc.integer({ min: 1, max: 3 }),
        fc.nat(70),
        arbBound,
        arbBound,
        fc.array(fc.oneof(fc.constant('next'), fc.constant('prev'), fc.integer({ min: 0, max: 13 })), {
          maxLength: 30,
        }),
        fc.boolean(),
        (ops, sources, seq, lo, hi, moves, startReverse) => {
          const expected = model(ops, seq, lo, hi);
          const keys = expected.map((e) => e[0]);
          const c = new DbCursor(build(ops, sources), bytewiseComparator, seq, lo, hi);
          let pos = startReverse ? expected.length - 1 : 0;
          if (startReverse) c.seekToLast();
          else c.seekToFirst();
          for (const move of moves) {
            const valid = pos >= 0 && pos < expected.length;
            expect(c.valid()).toBe(valid);
            if (valid) expect([toHex(c.key()), toHex(c.value())]).toEqual(expected[pos]);
            if (typeof move === 'number') {
              const target = toHex(new Uint8Array([move]));
              if (move % 2 === 0) {
                c.seek(new Uint8Array([move]));
                pos = keys.findIndex((k) => k >= target);
                if (pos < 0) pos = expected.length;
              } else {
                c.seekForPrev(new Uint8Array([move]));
                pos = keys.length - 1;
                while (pos >= 0 && keys[pos] > target) pos--;
              }
            } else if (valid) {
              if (move === 'next') {
                c.next();
                pos++;
              } else {
                c.prev();
                pos--;
              }
            }
          }
          const valid = pos >= 0 && pos < expected.length;
          expect(c.valid()).toBe(valid);
          if (valid) expect([toHex(c.key()), toHex(c.value())]).toEqual(expected[pos]);
        },
      ),
    );
  });
});
