import { compareBytes, makeInternalKey, parseInternalKey, ValueKind } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cmp, type Entry, runJob, visible } from './merge-helpers.js';

/** Versions: (user key, sequence unique, kind). */
const versionsArb = fc
  .uniqueArray(fc.record({ key: fc.nat(6), seq: fc.integer({ min: 1, max: 200 }), del: fc.boolean() }), {
    selector: (v) => v.seq,
    maxLength: 60,
  })
  .chain((vs) =>
    fc.tuple(fc.constant(vs), fc.array(fc.nat(3), { minLength: vs.length, maxLength: vs.length })),
  );

function entriesOf(vs: { key: number; seq: number; del: boolean }[]): Entry[] {
  return vs.map((v) => [
    makeInternalKey(Uint8Array.of(v.key), v.seq, v.del ? ValueKind.Delete : ValueKind.Put),
    v.del ? new Uint8Array(0) : Uint8Array.of(v.key, v.seq),
  ]);
}

describe('CompactionJob', () => {
  it('keeps what every snapshot and the latest view see, drops the rest, splits between user keys', () => {
    fc.assert(
      fc.property(
        versionsArb,
        fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { maxLength: 4 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        ([vs, owners], snaps, bottommost, target, slice) => {
          const all = entriesOf(vs);
          const runs: Entry[][] = [[], [], [], []];
          all.forEach((e, i) => {
            runs[owners[i]].push(e);
          });
          const snapshots = [...snaps].sort((a, b) => a - b);
          const { job, written } = runJob(runs, { snapshots, bottommost, targetFileSize: target }, slice);
          const out = written.flat();
          for (const s of [...snapshots, Number.MAX_SAFE_INTEGER])
            expect(visible(out, s)).toEqual(visible(all, s));
          // Sorted, and no user key in two files.
          for (let i = 1; i < out.length; i++) expect(cmp.compare(out[i - 1][0], out[i][0])).toBeLessThan(0);
          for (let f = 1; f < written.length; f++) {
            const prev = written[f - 1][written[f - 1].length - 1][0];
            const first = written[f][0][0];
            expect(compareBytes(prev.subarray(0, 1), first.subarray(0, 1))).toBeLessThan(0);
          }
          // Bottommost with no snapshot: no tombstone survives, one version per key.
          if (bottommost && snapshots.length === 0) {
            expect(out.every(([k]) => parseInternalKey(k).kind === ValueKind.Put)).toBe(true);
            expect(new Set(out.map(([k]) => k[0])).size).toBe(out.length);
          }
          expect(job.entriesDropped + out.length).toBe(all.length);
          expect(job.outputs.map((o) => o.entries)).toEqual(written.map((w) => w.length));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports output metadata', () => {
    const runs = [
      entriesOf([
        { key: 1, seq: 5, del: false },
        { key: 2, seq: 3, del: true },
      ]),
    ];
    const { job } = runJob(runs, { snapshots: [], bottommost: false, targetFileSize: 1000 }, 10);
    const [o] = job.outputs;
    expect(o.entries).toBe(2);
    expect(o.tombstones).toBe(1);
    expect(o.smallestSequence).toBe(3);
    expect(o.largestSequence).toBe(5);
    expect(parseInternalKey(o.smallestKey).userKey[0]).toBe(1);
    expect(parseInternalKey(o.largestKey).userKey[0]).toBe(2);
    expect(job.bytesWritten).toBe(o.fileSize);
  });
});
