import { MemoryFileSystem, bytewiseComparator, isVelocityError, utf8 } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TableBuilder, TableReader } from '../src/index.js';
import {
  type Entry,
  attempt,
  buildTable,
  builderOptions,
  configArb,
  entriesArb,
  expectGetAnswer,
  lowerBound,
  probesArb,
  readerOptions,
  scanBackward,
  scanForward,
} from './helpers.js';

describe('TableBuilder and TableReader round trip', () => {
  it('any sorted entries: every get, absent keys, iteration both ways, properties', () => {
    fc.assert(
      fc.property(entriesArb, configArb, probesArb, (entries, config, probes) => {
        const fs = new MemoryFileSystem();
        const built = buildTable(fs, entries, builderOptions(config));
        const table = TableReader.open(fs.openReadable('/t.sst'), readerOptions(config));
        for (const [k, v] of entries) {
          const got = table.get(k);
          expect(got?.key).toEqual(k);
          expect(got?.value).toEqual(v);
        }
        for (const probe of probes) expectGetAnswer(entries, probe, table.get(probe));
        expect(scanForward(table)).toEqual(entries);
        expect(scanBackward(table)).toEqual([...entries].reverse());
        // What the reader reports equals what the builder returned, and the file's real size.
        expect(table.properties).toEqual(built);
        expect(built.fileSize).toBe(fs.size('/t.sst'));
        expect(built.entries).toBe(entries.length);
        expect(built.smallestKey).toEqual(entries[0]?.[0] ?? new Uint8Array(0));
        expect(built.largestKey).toEqual(entries.at(-1)?.[0] ?? new Uint8Array(0));
        expect(built.rawKeyBytes).toBe(entries.reduce((s, [k]) => s + k.length, 0));
        expect(built.rawValueBytes).toBe(entries.reduce((s, [, v]) => s + v.length, 0));
        expect(built.filterPolicyName).toBe(config.filter ? 'velocity.BuiltinBloomFilter' : '');
        expect(built.compressionName).toBe(config.codec.name);
        expect(built.blockSize).toBe(config.blockSize);
        expect(built.blockRestartInterval).toBe(config.blockRestartInterval);
        table.close();
      }),
      { numRuns: 150 },
    );
  });

  it('seek to arbitrary keys, then walk both ways from there', () => {
    fc.assert(
      fc.property(
        entriesArb,
        configArb,
        fc.array(
          fc.tuple(fc.uint8Array({ maxLength: 15, max: 7 }), fc.array(fc.boolean(), { maxLength: 8 })),
          {
            maxLength: 15,
          },
        ),
        (entries, config, seeks) => {
          const fs = new MemoryFileSystem();
          buildTable(fs, entries, builderOptions(config));
          const table = TableReader.open(fs.openReadable('/t.sst'), readerOptions(config));
          const it = table.iterator();
          for (const [target, moves] of seeks) {
            it.seek(target);
            let i = lowerBound(entries, target);
            for (const forward of [...moves, true]) {
              if (i >= entries.length || i < 0) {
                expect(it.valid()).toBe(false);
                break;
              }
              expect(it.valid()).toBe(true);
              expect(it.key()).toEqual(entries[i][0]);
              expect(it.value()).toEqual(entries[i][1]);
              if (forward) {
                it.next();
                i++;
              } else {
                it.prev();
                i--;
              }
            }
          }
          table.close();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('an empty table reads as empty', () => {
    const fs = new MemoryFileSystem();
    const props = buildTable(fs, []);
    expect(props).toMatchObject({ entries: 0, dataBlocks: 0, dataBytes: 0 });
    const table = TableReader.open(fs.openReadable('/t.sst'));
    expect(table.get(utf8('a'))).toBeUndefined();
    expect(scanForward(table)).toEqual([]);
    expect(scanBackward(table)).toEqual([]);
    const it = table.iterator();
    it.seek(new Uint8Array(0));
    expect(it.valid()).toBe(false);
    expect(table.approximateOffsetOf(utf8('z'))).toBe(0);
  });

  it('a key and value of 100 KiB each survive (multi-byte varints, a block larger than blockSize)', () => {
    const big: Entry = [new Uint8Array(100_000).fill(7), new Uint8Array(100_000).fill(9)];
    const entries: Entry[] = [
      [new Uint8Array([1]), utf8('1')],
      big,
      [new Uint8Array([8]), new Uint8Array(0)],
    ];
    const fs = new MemoryFileSystem();
    buildTable(fs, entries, { blockSize: 64 });
    const table = TableReader.open(fs.openReadable('/t.sst'));
    expect(scanForward(table)).toEqual(entries);
    expect(table.get(big[0])?.value).toEqual(big[1]);
  });
});

describe('TableBuilder argument checks', () => {
  it('rejects keys that are not strictly increasing with INVALID_ARGUMENT', () => {
    fc.assert(
      fc.property(entriesArb, fc.uint8Array({ maxLength: 14, max: 6 }), (entries, extra) => {
        fc.pre(entries.length > 0);
        const fs = new MemoryFileSystem();
        const builder = new TableBuilder(fs.openWritable('/t.sst'));
        for (const [k, v] of entries) builder.add(k, v);
        const last = entries[entries.length - 1][0];
        const error = attempt(() => builder.add(extra, utf8('x')));
        if (bytewiseComparator.compare(extra, last) <= 0) {
          expect(isVelocityError(error, 'INVALID_ARGUMENT')).toBe(true);
          expect(builder.entries).toBe(entries.length);
        } else {
          expect(error).toBeUndefined();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('rejects bad options, and use after finish or abandon', () => {
    const fs = new MemoryFileSystem();
    for (const bad of [{ blockSize: 0 }, { blockRestartInterval: 1.5 }, { blockSize: -4 }]) {
      expect(
        isVelocityError(
          attempt(() => new TableBuilder(fs.openWritable('/x'), bad)),
          'INVALID_ARGUMENT',
        ),
      ).toBe(true);
    }
    const done = new TableBuilder(fs.openWritable('/a'));
    done.add(utf8('k'), utf8('v'));
    done.finish();
    expect(
      isVelocityError(
        attempt(() => done.add(utf8('l'), utf8('v'))),
        'CLOSED',
      ),
    ).toBe(true);
    expect(
      isVelocityError(
        attempt(() => done.finish()),
        'CLOSED',
      ),
    ).toBe(true);
    const abandoned = new TableBuilder(fs.openWritable('/b'));
    abandoned.add(utf8('k'), utf8('v'));
    abandoned.abandon();
    expect(
      isVelocityError(
        attempt(() => abandoned.finish()),
        'CLOSED',
      ),
    ).toBe(true);
  });

  it('estimatedSize grows with the data and ends near the file size', () => {
    const fs = new MemoryFileSystem();
    const file = fs.openWritable('/t.sst');
    const builder = new TableBuilder(file, { blockSize: 512 });
    let previous = 0;
    for (let i = 0; i < 1000; i++) {
      builder.add(utf8(`key${String(i).padStart(5, '0')}`), new Uint8Array(50));
      expect(builder.estimatedSize).toBeGreaterThanOrEqual(previous);
      previous = builder.estimatedSize;
    }
    const props = builder.finish();
    expect(previous).toBeGreaterThan(props.dataBytes * 0.95);
    expect(previous).toBeLessThanOrEqual(props.fileSize);
  });
});

describe('TableReader', () => {
  it('approximateOffsetOf is monotone and within the data region', () => {
    const fs = new MemoryFileSystem();
    const entries: Entry[] = Array.from({ length: 500 }, (_, i) => [
      utf8(`k${String(i).padStart(4, '0')}`),
      new Uint8Array(40),
    ]);
    const props = buildTable(fs, entries, { blockSize: 256 });
    const table = TableReader.open(fs.openReadable('/t.sst'));
    let previous = 0;
    for (const [k] of entries) {
      const offset = table.approximateOffsetOf(k);
      expect(offset).toBeGreaterThanOrEqual(previous);
      previous = offset;
    }
    expect(previous).toBeGreaterThan(props.dataBytes * 0.9);
    expect(table.approximateOffsetOf(utf8('z'))).toBe(props.dataBytes);
    expect(table.approximateOffsetOf(new Uint8Array(0))).toBe(0);
  });

  it('puts data blocks in the cache under <cacheId>:<offset>, charged their size, and reuses them', () => {
    const sets: [string, number, number][] = [];
    const store = new Map<string, Uint8Array>();
    let hits = 0;
    const cache = {
      name: 'recording',
      capacity: 1 << 20,
      get: (key: string) => {
        const v = store.get(key);
        if (v) hits++;
        return v;
      },
      set: (key: string, value: Uint8Array, charge: number) => {
        sets.push([key, value.length, charge]);
        store.set(key, value);
      },
      delete: (key: string) => store.delete(key),
      clear: () => store.clear(),
      stats: () => ({ hits, misses: 0, evictions: 0, bytesUsed: 0, entries: store.size, capacity: 1 << 20 }),
    };
    const fs = new MemoryFileSystem();
    const entries: Entry[] = Array.from({ length: 300 }, (_, i) => [
      utf8(`k${String(i).padStart(4, '0')}`),
      utf8(`v${i}`),
    ]);
    const props = buildTable(fs, entries, { blockSize: 256 });
    const table = TableReader.open(fs.openReadable('/t.sst'), { blockCache: cache, cacheId: 42 });
    expect(scanForward(table)).toEqual(entries);
    expect(sets.length).toBe(props.dataBlocks);
    for (const [key, length, charge] of sets) {
      expect(key).toMatch(/^42:\d+$/);
      expect(charge).toBe(length);
    }
    const reads = fs.stats().bytesRead;
    for (const [k, v] of entries) expect(table.get(k)?.value).toEqual(v);
    expect(fs.stats().bytesRead).toBe(reads); // every block came from the cache
    expect(hits).toBe(entries.length);
  });

  it('refuses a differently named comparator with INVALID_ARGUMENT', () => {
    const fs = new MemoryFileSystem();
    buildTable(fs, [[utf8('a'), utf8('1')]]);
    const other = { ...bytewiseComparator, name: 'reverse' };
    const error = attempt(() => TableReader.open(fs.openReadable('/t.sst'), { comparator: other }));
    expect(isVelocityError(error, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('ignores a filter whose policy name differs, and still answers correctly', () => {
    const fs = new MemoryFileSystem();
    const entries: Entry[] = [
      [utf8('a'), utf8('1')],
      [utf8('b'), utf8('2')],
    ];
    buildTable(fs, entries, builderOptions({ ...baseConfig, filter: true }));
    const alwaysNo = { name: 'other', createFilter: () => new Uint8Array(1), keyMayMatch: () => false };
    const table = TableReader.open(fs.openReadable('/t.sst'), { filterPolicy: alwaysNo });
    expect(table.get(utf8('b'))?.value).toEqual(utf8('2'));
  });

  it('raises CLOSED after close, and closes the file', () => {
    const fs = new MemoryFileSystem();
    buildTable(fs, [[utf8('a'), utf8('1')]]);
    const table = TableReader.open(fs.openReadable('/t.sst'));
    table.close();
    table.close();
    expect(
      isVelocityError(
        attempt(() => table.get(utf8('a'))),
        'CLOSED',
      ),
    ).toBe(true);
    expect(
      isVelocityError(
        attempt(() => table.iterator()),
        'CLOSED',
      ),
    ).toBe(true);
  });
});

const baseConfig = {
  blockSize: 4096,
  blockRestartInterval: 16,
  filter: false,
  codec: { id: 0, name: 'none', compress: (b: Uint8Array) => b, decompress: (b: Uint8Array) => b },
  cache: 'none' as const,
  cacheCapacity: 0,
};
