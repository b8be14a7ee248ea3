// A deliberately naive memtable model: a sorted array of internal keys, searched linearly.
import {
  bytewiseComparator,
  type Comparator,
  compareBytes,
  InternalKeyComparator,
  makeInternalKey,
  type SeekableIterator,
  ValueKind,
} from '@velocity/core';
import fc from 'fast-check';

export interface ModelEntry {
  userKey: Uint8Array;
  sequence: number;
  kind: ValueKind;
  value: Uint8Array;
  internalKey: Uint8Array;
}

export class SortedModel {
  readonly entries: ModelEntry[] = [];
  readonly icmp: InternalKeyComparator;

  constructor(readonly user: Comparator = bytewiseComparator) {
    this.icmp = new InternalKeyComparator(user);
  }

  add(sequence: number, kind: ValueKind, userKey: Uint8Array, value: Uint8Array): void {
    const entry: ModelEntry = {
      userKey: userKey.slice(),
      sequence,
      kind,
      value: kind === ValueKind.Put ? value.slice() : new Uint8Array(0),
      internalKey: makeInternalKey(userKey, sequence, kind),
    };
    let i = 0;
    while (i < this.entries.length && this.icmp.compare(this.entries[i].internalKey, entry.internalKey) < 0)
      i++;
    this.entries.splice(i, 0, entry);
  }

  /** Index of the first entry >= target, or entries.length. */
  lowerBound(target: Uint8Array): number {
    let i = 0;
    while (i < this.entries.length && this.icmp.compare(this.entries[i].internalKey, target) < 0) i++;
    return i;
  }

  indexOf(internalKey: Uint8Array): number {
    return this.entries.findIndex((e) => compareBytes(e.internalKey, internalKey) === 0);
  }

  get(userKey: Uint8Array, sequence: number): ModelEntry | undefined {
    return this.entries.find((e) => this.user.compare(e.userKey, userKey) === 0 && e.sequence <= sequence);
  }
}

/** Reads everything forward from the first entry. */
export function scanForward(it: SeekableIterator): [Uint8Array, Uint8Array][] {
  const out: [Uint8Array, Uint8Array][] = [];
  for (it.seekToFirst(); it.valid(); it.next()) out.push([it.key().slice(), it.value().slice()]);
  return out;
}

/** Reads everything backward from the last entry. */
export function scanBackward(it: SeekableIterator): [Uint8Array, Uint8Array][] {
  const out: [Uint8Array, Uint8Array][] = [];
  for (it.seekToLast(); it.valid(); it.prev()) out.push([it.key().slice(), it.value().slice()]);
  return out;
}

/** Orders user keys by reversed bytes: exercises the non-bytewise comparator path. */
export const reverseComparator: Comparator = {
  name: 'test.ReverseBytewise',
  compare: (a, b) => compareBytes(b, a),
  findShortestSeparator: (start) => start,
  findShortSuccessor: (key) => key,
};

/**
 * User keys that collide often: short ones over a 3-letter alphabet, and longer ones (up to 12 bytes,
 * past the memtable's 8-byte prefix) over {0x00, 'a', 'b', 0xff}, so keys share long prefixes, differ
 * only after byte 8 (the 'prefix:' family), or differ from a prefix only by trailing zero bytes.
 */
export const userKeyArb = fc.oneof(
  fc.uint8Array({ min: 97, max: 99, maxLength: 4 }),
  fc.array(fc.constantFrom(0x00, 0x61, 0x62, 0xff), { maxLength: 12 }).map((bytes) => Uint8Array.from(bytes)),
  fc
    .tuple(
      fc.constantFrom('prefix:a', 'prefix:b', 'prefix:'),
      fc.uint8Array({ min: 0x60, max: 0x62, maxLength: 3 }),
    )
    .map(([head, tail]) => Uint8Array.from([...new TextEncoder().encode(head), ...tail])),
);

/** A list of adds with distinct (user key, sequence) pairs: sequences are all distinct. */
export const addsArb = (maxLength = 60) =>
  fc
    .array(
      fc.record({
        userKey: userKeyArb,
        kind: fc.constantFrom(ValueKind.Put, ValueKind.Delete),
        value: fc.uint8Array({ maxLength: 8 }),
      }),
      { maxLength },
    )
    .chain((ops) =>
      fc
        .uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: ops.length, maxLength: ops.length })
        .map((seqs) => ops.map((op, i) => ({ ...op, sequence: seqs[i] }))),
    );
