// CompactionJob with range tombstones, against a brute-force model: every view (snapshots and the
// latest) reads the same from the outputs (entries plus their range tombstones) as from the inputs;
// outputs never overlap by user key; each output's recorded key range covers its entries and the
// keys its tombstones cover; tombstones no view needs are dropped at the bottom.
import {
  ArrayIterator,
  InternalKeyComparator,
  type RangeTombstone,
  ValueKind,
  bytewiseComparator,
  compareBytes,
  rangeBoundKey,
  rangeEndKey,
  extractUserKey,
  makeInternalKey,
  parseInternalKey,
} from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactionJob, type TableSink } from '../src/index.js';
import { cmp, type Entry, sortedInputs, visible } from './merge-helpers.js';

interface Output {
  entries: Entry[];
  tombstones: RangeTombstone[];
}

/** Opens sinks that record what they receive into `outputs` (size: key, value and bound bytes). */
function recordingSink(outputs: Output[]): () => TableSink {
  return () => {
    const o: Output = { entries: [], tombstones: [] };
    outputs.push(o);
    let size = 0;
    return {
      add(k, v) {
        o.entries.push([k.slice(), v.slice()]);
        size += k.length + v.length;
      },
      addRangeTombstone(start, end, sequence) {
        o.tombstones.push({ start: start.slice(), end: end.slice(), sequence });
        size += start.length + end.length;
      },
      get estimatedSize() {
        return size;
      },
      finish: () => size,
    };
  };
}

function run(
  runs: Entry[][],
  tombstones: RangeTombstone[],
  snapshots: number[],
  bottommost: boolean,
  targetFileSize: number,
): { job: CompactionJob; outputs: Output[] } {
  const outputs: Output[] = [];
  const job = new CompactionJob({
    comparator: cmp,
    inputs: sortedInputs(runs),
    snapshots,
    bottommost,
    targetFileSize,
    rangeTombstones: tombstones,
    openSink: recordingSink(outputs),
  });
  while (!job.step(5)) {
    // slices
  }
  return { job, outputs };
}

const scenario = fc.record({
  versions: fc.uniqueArray(
    fc.record({ key: fc.nat(15), seq: fc.integer({ min: 1, max: 300 }), del: fc.boolean(), run: fc.nat(2) }),
    { selector: (v) => v.seq, maxLength: 50 },
  ),
  tombstones: fc.array(
    fc.record({
      start: fc.nat(15),
      len: fc.integer({ min: 1, max: 8 }),
      seq: fc.integer({ min: 301, max: 600 }),
    }),
    { maxLength: 6 },
  ),
  /** Tombstones older than some versions too. */
  mixedSeqs: fc.boolean(),
  snapshots: fc.uniqueArray(fc.integer({ min: 1, max: 600 }), { maxLength: 3 }),
  bottommost: fc.boolean(),
  target: fc.integer({ min: 1, max: 60 }),
});

describe('CompactionJob with range tombstones', () => {
  it('keeps what every view reads, splits tombstones at output boundaries, never overlaps outputs', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const used = new Set(s.versions.map((v) => v.seq));
        const tombstones: RangeTombstone[] = [];
        for (const t of s.tombstones) {
          const seq = s.mixedSeqs ? t.seq - 300 : t.seq;
          if (used.has(seq)) continue;
          used.add(seq);
          tombstones.push({
            start: Uint8Array.of(t.start),
            end: Uint8Array.of(t.start + t.len),
            sequence: seq,
          });
        }
        const all: Entry[] = s.versions.map((v) => [
          makeInternalKey(Uint8Array.of(v.key), v.seq, v.del ? ValueKind.Delete : ValueKind.Put),
          v.del ? new Uint8Array(0) : Uint8Array.of(v.key, v.seq % 256),
        ]);
        const runs: Entry[][] = [[], [], []];
        s.versions.forEach((v, i) => {
          runs[v.run].push(all[i]);
        });
        const snapshots = [...s.snapshots].sort((a, b) => a - b);
        const { job, outputs } = run(runs, tombstones, snapshots, s.bottommost, s.target);
        const outEntries = outputs.flatMap((o) => o.entries);
        const outTombstones = outputs.flatMap((o) => o.tombstones);
        for (const view of [...snapshots, Number.MAX_SAFE_INTEGER])
          expect(visible(outEntries, view, undefined, outTombstones)).toEqual(
            visible(all, view, undefined, tombstones),
          );
        expect(job.outputs.length).toBe(outputs.length);
        job.outputs.forEach((meta, i) => {
          const o = outputs[i];
          expect(meta.rangeTombstones).toBe(o.tombstones.length);
          expect(o.entries.length + o.tombstones.length).toBeGreaterThan(0);
          const lo = extractUserKey(meta.smallestKey);
          const hi = extractUserKey(meta.largestKey);
          for (const [k] of o.entries) {
            expect(cmp.compare(meta.smallestKey, k)).toBeLessThanOrEqual(0);
            expect(cmp.compare(k, meta.largestKey)).toBeLessThanOrEqual(0);
          }
          for (const t of o.tombstones) {
            expect(compareBytes(t.start, t.end)).toBeLessThan(0);
            expect(compareBytes(lo, t.start)).toBeLessThanOrEqual(0);
            // The last key covered is at most the recorded largest: end <= largest, or end is the
            // key right after it in byte order.
            const next = Uint8Array.from([...hi, 0]);
            expect(compareBytes(t.end, hi) <= 0 || compareBytes(t.end, next) === 0).toBe(true);
          }
          if (i > 0) {
            const prevHi = extractUserKey(job.outputs[i - 1].largestKey);
            expect(compareBytes(prevHi, lo)).toBeLessThan(0);
          }
        });
        // Outputs claim no key beyond what the inputs claimed (a neighbour table outside the merge may
        // start right after them).
        const claims = [
          ...all.map(([k]) => k),
          ...tombstones.flatMap((t) => [rangeBoundKey(t.start), rangeEndKey(bytewiseComparator, t.end)]),
        ].sort((a, b) => cmp.compare(a, b));
        for (const meta of job.outputs) {
          expect(cmp.compare(claims[0], meta.smallestKey)).toBeLessThanOrEqual(0);
          expect(cmp.compare(meta.largestKey, claims[claims.length - 1])).toBeLessThanOrEqual(0);
        }
        // Bottommost without snapshots: no tombstone of either kind survives.
        if (s.bottommost && snapshots.length === 0) {
          expect(outTombstones).toEqual([]);
          expect(outEntries.every(([k]) => parseInternalKey(k).kind === ValueKind.Put)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('CompactionJob with range tombstones under another comparator', () => {
  const reverse = {
    ...bytewiseComparator,
    name: 'test.Reverse',
    compare: (a: Uint8Array, b: Uint8Array) => compareBytes(b, a),
  };
  const rcmp = new InternalKeyComparator(reverse);

  it('cuts outputs only where no kept piece crosses, and still drops what a tombstone covers', () => {
    // Keys 20 down to 1 (reverse order); a tombstone over [15, 5) in that order: keys 15 .. 6.
    const entries: Entry[] = [];
    for (let k = 20; k >= 1; k--)
      entries.push([makeInternalKey(Uint8Array.of(k), k, ValueKind.Put), Uint8Array.of(k)]);
    const outputs: Output[] = [];
    const job = new CompactionJob({
      comparator: rcmp,
      inputs: [new ArrayIterator(rcmp, entries)],
      snapshots: [10], // the tombstone at 50 is kept (not bottommost anyway), entries stay for the snapshot
      bottommost: false,
      targetFileSize: 1,
      rangeTombstones: [{ start: Uint8Array.of(15), end: Uint8Array.of(5), sequence: 50 }],
      openSink: recordingSink(outputs),
    });
    while (!job.step(3)) {
      // slices
    }
    // Entries 15..6 with sequences <= 10 are seen by the snapshot: kept. Those above 10 are covered
    // for every view (no snapshot between them and 50): dropped.
    const kept = outputs.flatMap((o) => o.entries.map(([k]) => k[0]));
    expect(kept).toEqual([20, 19, 18, 17, 16, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    // One output holds the whole tombstone, unsplit; every other output holds one key.
    const withTombstone = outputs.filter((o) => o.tombstones.length > 0);
    expect(withTombstone.length).toBe(1);
    expect(withTombstone[0].tombstones).toEqual([
      { start: Uint8Array.of(15), end: Uint8Array.of(5), sequence: 50 },
    ]);
    const meta = job.outputs[outputs.indexOf(withTombstone[0])];
    expect(reverse.compare(extractUserKey(meta.smallestKey), Uint8Array.of(15))).toBeLessThanOrEqual(0);
    expect(reverse.compare(Uint8Array.of(5), extractUserKey(meta.largestKey))).toBeLessThanOrEqual(0);
    for (let i = 1; i < job.outputs.length; i++) {
      const prev = extractUserKey(job.outputs[i - 1].largestKey);
      expect(reverse.compare(prev, extractUserKey(job.outputs[i].smallestKey))).toBeLessThan(0);
    }
  });
});
