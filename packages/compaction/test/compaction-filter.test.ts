import {
  EXPIRY_PREFIX_SIZE,
  ValueKind,
  decodeExpiry,
  makeInternalKey,
  parseInternalKey,
  withExpiry,
} from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompactionFilter } from '../src/index.js';
import { type Entry, runJob, visible } from './merge-helpers.js';

type Kind = 'del' | 'put' | 'expiring';

/** Versions (user key, unique sequence, kind, expiry time for `expiring`). */
const versionsArb = fc.uniqueArray(
  fc.record({
    key: fc.nat(5),
    seq: fc.integer({ min: 1, max: 200 }),
    kind: fc.constantFrom<Kind>('del', 'put', 'expiring'),
    expiresAt: fc.integer({ min: 0, max: 20 }),
  }),
  { selector: (v) => v.seq, maxLength: 50 },
);

function entryOf(v: { key: number; seq: number; kind: Kind; expiresAt: number }): Entry {
  const k = Uint8Array.of(v.key);
  if (v.kind === 'del') return [makeInternalKey(k, v.seq, ValueKind.Delete), new Uint8Array(0)];
  if (v.kind === 'put') return [makeInternalKey(k, v.seq, ValueKind.Put), Uint8Array.of(v.key, v.seq)];
  return [
    makeInternalKey(k, v.seq, ValueKind.PutWithExpiry),
    withExpiry(Uint8Array.of(v.key, v.seq), v.expiresAt),
  ];
}

function run(
  entries: Entry[],
  options: { snapshots: number[]; bottommost: boolean; now?: number; filter?: CompactionFilter },
) {
  const { job, written } = runJob([entries], { targetFileSize: 1 << 20, outputLevel: 3, ...options });
  return { job, written: written.flat() };
}

/** Drops values whose sequence is a multiple of 3, replaces those of remainder 1, keeps the rest. */
const filter: CompactionFilter = (key, value, level) => {
  expect(value.length, 'the filter sees the value without its expiry prefix').toBe(2);
  expect(key[0]).toBe(value[0]);
  expect(level).toBe(3);
  if (value[1] % 3 === 0) return 'drop';
  if (value[1] % 3 === 1) return { value: Uint8Array.of(value[0], value[1], 99) };
  return 'keep';
};

describe('CompactionJob with expiry and a filter', () => {
  it('expired values become invisible for good, snapshots read as before, the latest view is filtered', () => {
    fc.assert(
      fc.property(
        versionsArb,
        fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { maxLength: 3 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 20 }),
        fc.boolean(),
        (vs, snaps, bottommost, now, filtered) => {
          const all = vs.map(entryOf);
          const snapshots = [...snaps].sort((a, b) => a - b);
          const { written } = run(all, { snapshots, bottommost, now, filter: filtered ? filter : undefined });
          for (const later of [now, now + 5, 100]) {
            for (const s of snapshots) expect(visible(written, s, later)).toEqual(visible(all, s, later));
          }
          // Nothing written has expired by `now`.
          for (const [k, v] of written)
            if (parseInternalKey(k).kind === ValueKind.PutWithExpiry)
              expect(decodeExpiry(v)).toBeGreaterThan(now);
          const newest = snapshots.length === 0 ? 0 : snapshots[snapshots.length - 1];
          const expected = new Map<number, string>();
          for (const [key, value] of visible(all, Number.MAX_SAFE_INTEGER, now)) {
            const seq = Number(value.split(',')[1]);
            if (!filtered || seq <= newest) expected.set(key, value);
            else if (seq % 3 === 1) expected.set(key, `${value},99`);
            else if (seq % 3 === 2) expected.set(key, value);
          }
          expect(visible(written, Number.MAX_SAFE_INTEGER, now)).toEqual(expected);
          if (bottommost && snapshots.length === 0)
            expect(written.every(([k]) => parseInternalKey(k).kind !== ValueKind.Delete)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes an expired value as a tombstone above deeper data, and keeps the expiry of a replaced value', () => {
    const entries: Entry[] = [
      [makeInternalKey(Uint8Array.of(1), 5, ValueKind.PutWithExpiry), withExpiry(Uint8Array.of(1, 5), 10)],
      [makeInternalKey(Uint8Array.of(2), 6, ValueKind.PutWithExpiry), withExpiry(Uint8Array.of(2, 7), 50)],
    ];
    const { job, written } = run(entries, {
      snapshots: [],
      bottommost: false,
      now: 10,
      filter: () => ({ value: Uint8Array.of(42) }),
    });
    expect(written.map(([key]) => parseInternalKey(key).kind)).toEqual([
      ValueKind.Delete,
      ValueKind.PutWithExpiry,
    ]);
    expect(written[0][1].length).toBe(0);
    expect(decodeExpiry(written[1][1])).toBe(50);
    expect([...written[1][1].subarray(EXPIRY_PREFIX_SIZE)]).toEqual([42]);
    expect(job.outputs[0].tombstones).toBe(1);
    // Without a time, nothing expires.
    expect(run(entries, { snapshots: [], bottommost: true }).written.length).toBe(2);
  });

  it('fails on a filter answer that is not a decision', () => {
    const entries: Entry[] = [[makeInternalKey(Uint8Array.of(1), 1, ValueKind.Put), Uint8Array.of(1)]];
    for (const answer of [undefined, 'remove', { value: 'x' }, null]) {
      expect(() => run(entries, { snapshots: [], bottommost: false, filter: () => answer as never })).toThrow(
        TypeError,
      );
    }
  });
});
