import { BloomFilterPolicy, type FilterPolicy } from '@velocity/bloom';
import {
  InternalKeyComparator,
  MAX_SEQUENCE,
  MemoryFileSystem,
  ValueKind,
  bytesEqual,
  bytewiseComparator,
  compareBytes,
  extractSequence,
  extractUserKey,
  makeInternalKey,
  parseInternalKey,
  utf8,
} from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TableReader, lz4Codec } from '../src/index.js';
import { type Entry, buildTable, scanBackward, scanForward } from './helpers.js';

const comparator = new InternalKeyComparator(bytewiseComparator);
/** What the database passes as filterKey: the user key, without the 8-byte trailer. */
const filterKey = extractUserKey;

/** Versions of a few user keys with distinct sequences, as a flush or compaction would write them. */
const versionsArb = fc
  .uniqueArray(
    fc.record({
      user: fc.uint8Array({ maxLength: 6, max: 4 }),
      sequence: fc.integer({ min: 1, max: 10_000 }),
      kind: fc.constantFrom(ValueKind.Put, ValueKind.Delete),
      value: fc.uint8Array({ maxLength: 30 }),
    }),
    { selector: (v) => v.sequence, maxLength: 200, size: 'large' },
  )
  .map((versions) => {
    const entries: Entry[] = versions.map((v) => [makeInternalKey(v.user, v.sequence, v.kind), v.value]);
    return entries.sort((a, b) => comparator.compare(a[0], b[0]));
  });

/** The database's point lookup: newest version of `user` with sequence <= `snapshot`, via get(). */
function lookup(table: TableReader, user: Uint8Array, snapshot: number): Entry | undefined {
  const got = table.get(makeInternalKey(user, snapshot, ValueKind.Put));
  if (got === undefined || !bytesEqual(extractUserKey(got.key), user)) return undefined;
  return [got.key.slice(), got.value.slice()];
}

/** The model's answer to the same lookup. */
function modelLookup(entries: readonly Entry[], user: Uint8Array, snapshot: number): Entry | undefined {
  return entries.find(([k]) => bytesEqual(extractUserKey(k), user) && extractSequence(k) <= snapshot);
}

describe('internal keys with a filter over user keys, as the database uses tables', () => {
  it('finds the newest visible version of every user key at any snapshot', () => {
    fc.assert(
      fc.property(
        versionsArb,
        fc.constantFrom(64, 256, 4096),
        fc.boolean(),
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 6, max: 5 }), fc.integer({ min: 0, max: 11_000 })), {
          maxLength: 40,
        }),
        (entries, blockSize, compress, probes) => {
          const fs = new MemoryFileSystem();
          const policy = new BloomFilterPolicy(10);
          buildTable(fs, entries, {
            comparator,
            filterPolicy: policy,
            filterKey,
            blockSize,
            compression: compress ? lz4Codec : undefined,
          });
          const table = TableReader.open(fs.openReadable('/t.sst'), {
            comparator,
            filterPolicy: policy,
            filterKey,
          });
          const users = [...entries.map(([k]) => extractUserKey(k)), ...probes.map(([u]) => u)];
          for (const user of users) {
            for (const snapshot of [MAX_SEQUENCE, ...probes.map(([, s]) => s)]) {
              const got = lookup(table, user, snapshot);
              const want = modelLookup(entries, user, snapshot);
              expect(got).toEqual(want);
              if (got) expect(parseInternalKey(got[0]).kind).toBe(parseInternalKey((want as Entry)[0]).kind);
            }
          }
          expect(scanForward(table)).toEqual(entries);
          expect(scanBackward(table)).toEqual([...entries].reverse());
          table.close();
        },
      ),
      { numRuns: 120 },
    );
  });

  it('the filter holds user keys: absent user keys are mostly ruled out without reading a block', () => {
    const fs = new MemoryFileSystem();
    const entries: Entry[] = [];
    for (let i = 0; i < 2000; i++) {
      const user = utf8(`user${String(i).padStart(5, '0')}`);
      entries.push([makeInternalKey(user, 5000 + i, ValueKind.Put), utf8(`v${i}`)]);
      if (i % 3 === 0) entries.push([makeInternalKey(user, 10 + i, ValueKind.Delete), new Uint8Array(0)]);
    }
    entries.sort((a, b) => comparator.compare(a[0], b[0]));
    const policy = new BloomFilterPolicy(10);
    buildTable(fs, entries, { comparator, filterPolicy: policy, filterKey, blockSize: 512 });
    const table = TableReader.open(fs.openReadable('/t.sst'), {
      comparator,
      filterPolicy: policy,
      filterKey,
    });
    // Present user keys at every sequence stay reachable (no false negatives through the trailer).
    for (const [k] of entries) expect(compareBytes(table.get(k)?.key ?? new Uint8Array(0), k)).toBe(0);
    const before = fs.stats().bytesRead;
    let found = 0;
    for (let i = 0; i < 2000; i++) {
      if (table.get(makeInternalKey(utf8(`user${String(i).padStart(5, '0')}~`), MAX_SEQUENCE, ValueKind.Put)))
        found++;
    }
    const blocksRead = (fs.stats().bytesRead - before) / 512;
    expect(found).toBeLessThan(60); // ~1% false positives at 10 bits per key
    expect(blocksRead).toBeLessThan(100);
  });
});

describe('the filter block, built as keys are added', () => {
  /** The filter block's bytes of a table of `entries` built with `policy`. */
  function filterBytes(entries: readonly Entry[], policy: FilterPolicy): Uint8Array {
    const fs = new MemoryFileSystem();
    const props = buildTable(fs, entries, { comparator, filterPolicy: policy, filterKey, blockSize: 256 });
    const data = fs.readFile('/t.sst');
    return data.subarray(props.dataBytes, props.dataBytes + props.filterBytes);
  }

  it('is the same with the policy builder, without one (keys packed), and from all keys at the end', () => {
    const bloom = new BloomFilterPolicy(10);
    const noBuilder: FilterPolicy = {
      name: bloom.name,
      createFilter: (keys) => bloom.createFilter(keys),
      keyMayMatch: (key, filter) => bloom.keyMayMatch(key, filter),
    };
    fc.assert(
      fc.property(versionsArb, (entries) => {
        // Distinct consecutive user keys, what the filter is made of.
        const users: Uint8Array[] = [];
        for (const [k] of entries) {
          const user = extractUserKey(k);
          if (users.length === 0 || !bytesEqual(users[users.length - 1], user)) users.push(user);
        }
        const expected = bloom.createFilter(users);
        const trailer = (bytes: Uint8Array) => bytes.subarray(0, bytes.length - 5); // without the block trailer
        expect(trailer(filterBytes(entries, bloom))).toEqual(expected);
        expect(trailer(filterBytes(entries, noBuilder))).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
