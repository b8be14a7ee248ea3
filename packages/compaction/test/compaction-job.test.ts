import {
  ArrayIterator,
  bytewiseComparator,
  compareBytes,
  InternalKeyComparator,
  makeInternalKey,
  parseInternalKey,
  ValueKind,
} from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactionJob, type TableSink } from '../src/index.js';

const cmp = new InternalKeyComparator(bytewiseComparator);
type Entry = [Uint8Array, Uint8Array];

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

/** What a reader at `sequence` sees: user key -> value, from a set of internal entries. */
function visible(entries: Entry[], sequence: number): Map<number, string> {
  const sorted = [...entries].sort((a, b) => cmp.compare(a[0], b[0]));
  const out = new Map<number, string>();
  const decided = new Set<number>();
  for (const [k, v] of sorted) {
    const p = parseInternalKey(k);
    const key = p.userKey[0];
    if (p.sequence > sequence || decided.has(key)) continue;
    decided.add(key);
    if (p.kind === ValueKind.Put) out.set(key, [...v].join(','));
  }
  return out;
}

function runJob(runs: Entry[][], snapshots: number[], bottommost: boolean, target: number, slice: number) {
  const written: Entry[][] = [];
  const job = new CompactionJob({
    comparator: cmp,
    inputs: runs.map(
      (r) =>
        new ArrayIterator(
          cmp,
          [...r].sort((a, b) => cmp.compare(a[0], b[0])),
        ),
    ),
    snapshots,
    bottommost,
    targetFileSize: target,
    openSink: (): TableSink => {
      const file: Entry[] = [];
      written.push(file);
      let size = 0;
      return {
        add(k, v) {
          file.push([k.slice(), v.slice()]);
          size += k.length + v.length;
        },
        get estimatedSize() {
          return size;
        },
        finish: () => size,
      };
    },
  });
  while (!job.step(slice)) {
    // slices
  }
  return { job, written };
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
          const { job, written } = runJob(runs, snapshots, bottommost, target, slice);
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
    const { job } = runJob(runs, [], false, 1000, 10);
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
