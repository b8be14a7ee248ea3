// Shared by the CompactionJob tests: the internal-key order, what a reader sees in a set of entries,
// and a job run over in-memory inputs and outputs.
import {
  ArrayIterator,
  EXPIRY_PREFIX_SIZE,
  InternalKeyComparator,
  type RangeTombstone,
  compareBytes,
  ValueKind,
  bytewiseComparator,
  decodeExpiry,
  parseInternalKey,
} from '@velocity/core';
import { CompactionJob, type CompactionJobOptions, type TableSink } from '../src/index.js';

export const cmp = new InternalKeyComparator(bytewiseComparator);

/** An internal key and its stored value. */
export type Entry = [Uint8Array, Uint8Array];

/**
 * What a reader at `sequence` sees at time `now`: user key (first byte) -> value bytes joined by
 * commas. A put with expiry reads as deleted once `now` reaches its expiry, and a version that a newer
 * range tombstone visible at `sequence` covers reads as deleted.
 */
export function visible(
  entries: Entry[],
  sequence: number,
  now = Number.NEGATIVE_INFINITY,
  tombstones: readonly RangeTombstone[] = [],
): Map<number, string> {
  const sorted = [...entries].sort((a, b) => cmp.compare(a[0], b[0]));
  const out = new Map<number, string>();
  const decided = new Set<number>();
  for (const [k, v] of sorted) {
    const p = parseInternalKey(k);
    const key = p.userKey[0];
    if (p.sequence > sequence || decided.has(key)) continue;
    decided.add(key);
    const covered = tombstones.some(
      (t) =>
        t.sequence <= sequence &&
        t.sequence > p.sequence &&
        compareBytes(t.start, p.userKey) <= 0 &&
        compareBytes(p.userKey, t.end) < 0,
    );
    if (covered) continue;
    if (p.kind === ValueKind.Put) out.set(key, [...v].join(','));
    if (p.kind === ValueKind.PutWithExpiry && decodeExpiry(v) > now)
      out.set(key, [...v.subarray(EXPIRY_PREFIX_SIZE)].join(','));
  }
  return out;
}

/** One input iterator per run, each run sorted by key first. */
export function sortedInputs(runs: Entry[][]): ArrayIterator[] {
  return runs.map(
    (r) =>
      new ArrayIterator(
        cmp,
        [...r].sort((a, b) => cmp.compare(a[0], b[0])),
      ),
  );
}

/** Runs a job over `runs` (each sorted here), in slices of `slice`; returns it and the files written. */
export function runJob(
  runs: Entry[][],
  options: Omit<CompactionJobOptions, 'comparator' | 'inputs' | 'openSink'>,
  slice = 7,
): { job: CompactionJob; written: Entry[][] } {
  const written: Entry[][] = [];
  const job = new CompactionJob({
    ...options,
    comparator: cmp,
    inputs: sortedInputs(runs),
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
