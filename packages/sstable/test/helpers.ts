import { LruCache, S3FifoCache } from '@velocity/block-cache';
import { BloomFilterPolicy } from '@velocity/bloom';
import type { Cache } from '@velocity/block-cache';
import {
  InternalKeyComparator,
  type MemoryFileSystem,
  ValueKind,
  bytewiseComparator,
  compareBytes,
  isVelocityError,
  makeInternalKey,
} from '@velocity/core';
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  type Codec,
  TableBuilder,
  type TableBuilderOptions,
  type TableProperties,
  type TableReader,
  type TableReaderOptions,
  lz4Codec,
  noCompression,
} from '../src/index.js';

/** A key/value pair of the model. */
export type Entry = [Uint8Array, Uint8Array];

/** Writes `entries` (sorted) to `path` and returns the builder's properties. */
export function buildTable(
  fs: MemoryFileSystem,
  entries: readonly Entry[],
  options: TableBuilderOptions = {},
  path = '/t.sst',
): TableProperties {
  const file = fs.openWritable(path);
  const builder = new TableBuilder(file, options);
  for (const [k, v] of entries) builder.add(k, v);
  const props = builder.finish();
  file.sync();
  file.close();
  return props;
}

/** Sorted, unique keys over a small alphabet (long shared prefixes), each with a random value. */
export const entriesArb: fc.Arbitrary<Entry[]> = fc
  .uniqueArray(fc.uint8Array({ maxLength: 14, max: 6, size: 'medium' }), {
    selector: (k) => k.join(','),
    maxLength: 250,
    // fast-check's default size keeps arrays to about 10 elements; tables need many blocks.
    size: 'large',
  })
  .chain((keys) =>
    fc.tuple(
      fc.constant(keys),
      fc.array(fc.uint8Array({ maxLength: 70, size: 'medium' }), {
        minLength: keys.length,
        maxLength: keys.length,
      }),
    ),
  )
  .map(([keys, values]) => [...keys].sort(compareBytes).map((k, i): Entry => [k, values[i]]));

/** Probe keys over a slightly larger alphabet than the stored ones (so some are absent). */
export const probesArb: fc.Arbitrary<Uint8Array[]> = fc.array(fc.uint8Array({ maxLength: 15, max: 7 }), {
  maxLength: 30,
});

/** A table configuration: builder options and how the reader is opened. */
export interface TableConfig {
  blockSize: number;
  blockRestartInterval: number;
  filter: boolean;
  codec: Codec;
  cache: 'none' | 'lru' | 's3-fifo';
  cacheCapacity: number;
}

export const configArb: fc.Arbitrary<TableConfig> = fc.record({
  blockSize: fc.oneof(fc.constant(64), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 8192 })),
  blockRestartInterval: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 40 })),
  filter: fc.boolean(),
  codec: fc.constantFrom(noCompression, lz4Codec),
  cache: fc.constantFrom('none' as const, 'lru' as const, 's3-fifo' as const),
  cacheCapacity: fc.constantFrom(300, 4096, 1 << 20),
});

/** Builder options of a configuration. */
export function builderOptions(config: TableConfig): TableBuilderOptions {
  return {
    blockSize: config.blockSize,
    blockRestartInterval: config.blockRestartInterval,
    filterPolicy: config.filter ? new BloomFilterPolicy(10) : undefined,
    compression: config.codec,
  };
}

/** Reader options of a configuration (a new cache each time). */
export function readerOptions(config: TableConfig): TableReaderOptions {
  let blockCache: Cache<string, Uint8Array> | undefined;
  if (config.cache === 'lru') blockCache = new LruCache({ capacity: config.cacheCapacity });
  if (config.cache === 's3-fifo') blockCache = new S3FifoCache({ capacity: config.cacheCapacity });
  return { filterPolicy: config.filter ? new BloomFilterPolicy(10) : undefined, blockCache, cacheId: 7 };
}

/** Index of the first model entry with key >= `target` (entries.length if none). */
export function lowerBound(entries: readonly Entry[], target: Uint8Array): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(entries[mid][0], target) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Flips the bits of `mask` in the byte at `at` of the table file (`/t.sst`). */
export function flip(fs: MemoryFileSystem, at: number, mask: number): void {
  const bytes = fs.readFile('/t.sst');
  fs.corrupt('/t.sst', at, new Uint8Array([bytes[at] ^ mask]));
}

/** Runs `fn`, returning its result or the error it threw. */
export function attempt<T>(fn: () => T): T | Error {
  try {
    return fn();
  } catch (error) {
    return error as Error;
  }
}

/** Asserts that `value` is not an error other than `CORRUPTION`; true when it is a `CORRUPTION`. */
export function isCorruption(value: unknown): boolean {
  if (!(value instanceof Error)) return false;
  if (!isVelocityError(value, 'CORRUPTION')) throw value;
  return true;
}

/** Reads the whole table forward through a fresh iterator, copying the entries. */
export function scanForward(table: TableReader): Entry[] {
  const out: Entry[] = [];
  const it = table.iterator();
  for (it.seekToFirst(); it.valid(); it.next()) out.push([it.key().slice(), it.value().slice()]);
  return out;
}

/** Reads the whole table backward through a fresh iterator, copying the entries. */
export function scanBackward(table: TableReader): Entry[] {
  const out: Entry[] = [];
  const it = table.iterator();
  for (it.seekToLast(); it.valid(); it.prev()) out.push([it.key().slice(), it.value().slice()]);
  return out;
}

/** Checks that `got` (from `get(probe)`) is allowed by the contract given the model. */
export function expectGetAnswer(
  entries: readonly Entry[],
  probe: Uint8Array,
  got: { key: Uint8Array; value: Uint8Array } | undefined,
): void {
  const i = lowerBound(entries, probe);
  const present = i < entries.length && compareBytes(entries[i][0], probe) === 0;
  if (present) {
    expect(got?.key).toEqual(entries[i][0]);
    expect(got?.value).toEqual(entries[i][1]);
  } else if (got !== undefined) {
    // Absent: nothing, or exactly the first entry after the probe (found in the probe's block).
    expect(i).toBeLessThan(entries.length);
    expect(got.key).toEqual(entries[i][0]);
    expect(got.value).toEqual(entries[i][1]);
  }
}

/**
 * Checks every kind of read against the model: each answer is either a `CORRUPTION` error or correct.
 * Returns whether any read raised `CORRUPTION`.
 */
export function checkAnswers(
  table: TableReader,
  entries: readonly Entry[],
  probes: readonly Uint8Array[],
): boolean {
  let corrupt = false;
  for (const probe of [...entries.map(([k]) => k), ...probes]) {
    const got = attempt(() => table.get(probe));
    if (isCorruption(got)) corrupt = true;
    else expectGetAnswer(entries, probe, got as ReturnType<TableReader['get']>);
  }
  const forward = attempt(() => scanForward(table));
  if (isCorruption(forward)) corrupt = true;
  else expect(forward).toEqual(entries);
  const backward = attempt(() => scanBackward(table));
  if (isCorruption(backward)) corrupt = true;
  else expect(backward).toEqual([...entries].reverse());
  return corrupt;
}

/** Internal keys over the bytewise order, as the database writes them. */
export const icmp = new InternalKeyComparator(bytewiseComparator);

/** Internal keys over a small alphabet (many versions of few user keys), sorted and unique, random values. */
export const internalEntriesArb: fc.Arbitrary<Entry[]> = fc
  .uniqueArray(
    fc
      .tuple(
        fc.uint8Array({ maxLength: 8, max: 3 }),
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom(ValueKind.Put, ValueKind.Delete),
      )
      .map(([user, sequence, kind]) => makeInternalKey(user, sequence, kind)),
    { maxLength: 150, selector: (k) => k.join(','), size: 'large' },
  )
  .chain((keys) =>
    fc.tuple(
      fc.constant(keys),
      fc.array(fc.uint8Array({ maxLength: 90 }), { minLength: keys.length, maxLength: keys.length }),
    ),
  )
  .map(([keys, values]) => keys.sort((a, b) => icmp.compare(a, b)).map((k, i): Entry => [k, values[i]]));

/** Probe internal keys over a slightly larger alphabet than {@link internalEntriesArb}'s. */
export const internalProbesArb: fc.Arbitrary<Uint8Array[]> = fc.array(
  fc
    .tuple(fc.uint8Array({ maxLength: 9, max: 4 }), fc.integer({ min: 0, max: 301 }))
    .map(([user, sequence]) => makeInternalKey(user, sequence, ValueKind.Put)),
  { maxLength: 30 },
);

/** Every target worth trying: each key, the probes, and each key with its last byte moved up and down. */
export function probeTargets(entries: readonly Entry[], probes: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [new Uint8Array(0), ...probes];
  for (const [k] of entries) {
    out.push(k);
    if (k.length > 0) {
      const up = k.slice();
      up[up.length - 1]++;
      const down = k.slice();
      down[down.length - 1]--;
      out.push(up, down, k.subarray(0, k.length - 1));
    }
  }
  return out;
}
