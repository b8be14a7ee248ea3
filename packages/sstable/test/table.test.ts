import { LruCache } from '@velocity/block-cache';
import { BloomFilterPolicy } from '@velocity/bloom';
import {
  bytewiseComparator,
  compareBytes,
  crc32c,
  encodeFixed32,
  maskCrc,
  extractUserKey,
  InternalKeyComparator,
  isVelocityError,
  makeInternalKey,
  MAX_SEQUENCE,
  MemoryFileSystem,
  utf8,
  ValueKind,
} from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deflateCodec,
  lz4Codec,
  noCompression,
  TableBuilder,
  type TableBuilderOptions,
  TableReader,
  type TableReaderOptions,
} from '../src/index.js';

type Entry = [Uint8Array, Uint8Array];

function build(fs: MemoryFileSystem, entries: Entry[], options: TableBuilderOptions = {}): void {
  const file = fs.openWritable('/t.sst');
  const builder = new TableBuilder(file, options);
  for (const [k, v] of entries) builder.add(k, v);
  builder.finish();
  file.sync();
  file.close();
}

const entriesArb = fc
  .uniqueArray(fc.uint8Array({ maxLength: 12, max: 20 }), { selector: (k) => k.join(','), maxLength: 300 })
  .chain((keys) =>
    fc.tuple(
      fc.constant(keys),
      fc.array(fc.uint8Array({ maxLength: 60 }), { minLength: keys.length, maxLength: keys.length }),
    ),
  )
  .map(([keys, values]) => {
    const sorted = [...keys].sort(compareBytes);
    return sorted.map((k, i) => [k, values[i]] as Entry);
  });

const optionsArb = fc.record({
  blockSize: fc.constantFrom(64, 256, 4096),
  blockRestartInterval: fc.constantFrom(1, 2, 16),
  filter: fc.boolean(),
  codec: fc.constantFrom(noCompression, lz4Codec, deflateCodec),
  cache: fc.boolean(),
});

describe('TableBuilder and TableReader', () => {
  it('round-trip any sorted entries: gets, absent keys, iteration both ways, seeks', () => {
    fc.assert(
      fc.property(
        entriesArb,
        optionsArb,
        fc.array(fc.uint8Array({ maxLength: 12, max: 21 }), { maxLength: 20 }),
        (entries, o, probes) => {
          const fs = new MemoryFileSystem();
          const filterPolicy = o.filter ? new BloomFilterPolicy(10) : undefined;
          build(fs, entries, {
            blockSize: o.blockSize,
            blockRestartInterval: o.blockRestartInterval,
            filterPolicy,
            compression: o.codec,
          });
          const readerOptions: TableReaderOptions = {
            filterPolicy,
            blockCache: o.cache ? new LruCache({ capacity: 4096 }) : undefined,
            cacheId: 1,
          };
          const table = TableReader.open(fs.openReadable('/t.sst'), readerOptions);
          expect(table.properties.entries).toBe(entries.length);
          for (const [k, v] of entries) {
            const got = table.get(k);
            expect(got?.key).toEqual(k);
            expect(got?.value).toEqual(v);
          }
          const it = table.iterator();
          const forward: Entry[] = [];
          for (it.seekToFirst(); it.valid(); it.next()) forward.push([it.key().slice(), it.value().slice()]);
          expect(forward).toEqual(entries);
          const backward: Entry[] = [];
          for (it.seekToLast(); it.valid(); it.prev()) backward.push([it.key().slice(), it.value().slice()]);
          expect(backward).toEqual([...entries].reverse());
          for (const probe of probes) {
            const expected = entries.find(([k]) => compareBytes(k, probe) >= 0);
            it.seek(probe);
            if (expected === undefined) expect(it.valid()).toBe(false);
            else expect(it.key()).toEqual(expected[0]);
            const present = entries.some(([k]) => compareBytes(k, probe) === 0);
            const got = table.get(probe);
            if (!present && got !== undefined) expect(compareBytes(got.key, probe)).toBeGreaterThan(0);
          }
          table.close();
        },
      ),
      { numRuns: 120 },
    );
  });

  it('rejects keys out of order with INVALID_ARGUMENT', () => {
    const fs = new MemoryFileSystem();
    const builder = new TableBuilder(fs.openWritable('/t.sst'));
    builder.add(utf8('b'), utf8('1'));
    for (const bad of ['a', 'b']) {
      try {
        builder.add(utf8(bad), utf8('2'));
        expect.unreachable();
      } catch (e) {
        expect(isVelocityError(e, 'INVALID_ARGUMENT')).toBe(true);
      }
    }
  });

  it('refuses a different comparator, and reports a newer format version', () => {
    const fs = new MemoryFileSystem();
    build(fs, [[utf8('a'), utf8('1')]]);
    const other = { ...bytewiseComparator, name: 'reverse' };
    expect(() => TableReader.open(fs.openReadable('/t.sst'), { comparator: other })).toThrowError(
      /comparator/,
    );
    // Bump the footer's version and fix its checksum, as a future writer would.
    const bytes = fs.readFile('/t.sst');
    const footer = bytes.length - 56;
    encodeFixed32(bytes, footer + 40, 2);
    encodeFixed32(bytes, footer + 44, maskCrc(crc32c(bytes, footer, footer + 44)));
    fs.corrupt('/t.sst', 0, bytes);
    expect(
      isVelocityError(
        attempt(() => TableReader.open(fs.openReadable('/t.sst'))),
        'FORMAT_VERSION',
      ),
    ).toBe(true);
  });

  it('serves internal keys with a filter over user keys, as the database uses it', () => {
    const cmp = new InternalKeyComparator(bytewiseComparator);
    const fs = new MemoryFileSystem();
    const entries: Entry[] = [];
    for (let i = 0; i < 500; i++) {
      const user = utf8(`key${String(i).padStart(4, '0')}`);
      entries.push([makeInternalKey(user, 1000 - i, ValueKind.Put), utf8(`v${i}`)]);
      if (i % 7 === 0) entries.push([makeInternalKey(user, 10, ValueKind.Delete), new Uint8Array(0)]);
    }
    const filterPolicy = new BloomFilterPolicy(10);
    build(fs, entries, { comparator: cmp, filterPolicy, filterKey: extractUserKey, blockSize: 256 });
    const table = TableReader.open(fs.openReadable('/t.sst'), {
      comparator: cmp,
      filterPolicy,
      filterKey: extractUserKey,
    });
    const hit = table.get(makeInternalKey(utf8('key0042'), MAX_SEQUENCE, ValueKind.Put));
    expect(hit && extractUserKey(hit.key)).toEqual(utf8('key0042'));
    let filtered = 0;
    for (let i = 0; i < 1000; i++)
      if (table.get(makeInternalKey(utf8(`absent${i}`), MAX_SEQUENCE, ValueKind.Put)) === undefined)
        filtered++;
    expect(filtered).toBeGreaterThan(900);
  });

  it('never gives a wrong answer when any byte is flipped: CORRUPTION or correct', () => {
    const fs0 = new MemoryFileSystem();
    const entries: Entry[] = Array.from({ length: 200 }, (_, i) => [
      utf8(`k${String(i).padStart(3, '0')}`),
      utf8(`value-${i}`.repeat(3)),
    ]);
    build(fs0, entries, { blockSize: 256, filterPolicy: new BloomFilterPolicy(10), compression: lz4Codec });
    const original = fs0.readFile('/t.sst');
    fc.assert(
      fc.property(fc.nat(original.length - 1), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        const fs = new MemoryFileSystem();
        const f = fs.openWritable('/t.sst');
        const copy = original.slice();
        copy[at] ^= mask;
        f.append(copy);
        f.close();
        let table: TableReader;
        try {
          table = TableReader.open(fs.openReadable('/t.sst'), { filterPolicy: new BloomFilterPolicy(10) });
        } catch (e) {
          expect(
            isVelocityError(e, 'CORRUPTION') ||
              isVelocityError(e, 'NOT_SUPPORTED') ||
              isVelocityError(e, 'FORMAT_VERSION'),
          ).toBe(true);
          return;
        }
        for (const [k, v] of entries) {
          const got = attempt(() => table.get(k));
          if (got instanceof Error) {
            expect(isVelocityError(got, 'CORRUPTION') || isVelocityError(got, 'NOT_SUPPORTED')).toBe(true);
            continue;
          }
          // Every block, the filter included, is checksummed: a present key is found, and right.
          expect(got).toBeDefined();
          expect(got?.key).toEqual(k);
          expect(got?.value).toEqual(v);
        }
      }),
      { numRuns: 300 },
    );
  });
});

function attempt<T>(fn: () => T): T | Error {
  try {
    return fn();
  } catch (e) {
    return e as Error;
  }
}
