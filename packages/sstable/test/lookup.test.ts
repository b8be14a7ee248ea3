import { type Comparator, MemoryFileSystem, bytewiseComparator } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Block } from '../src/block.js';
import { BlockBuilder } from '../src/block-builder.js';
import { FlatEntries } from '../src/flat-entries.js';
import { searchKeys } from '../src/key-search.js';
import { bytewiseTrailerSize, rangeCompareFor } from '../src/range-compare.js';
import { TableReader } from '../src/index.js';
import {
  type Entry,
  type TableConfig,
  checkAnswers,
  buildTable,
  builderOptions,
  configArb,
  entriesArb,
  flip,
  probesArb,
  readerOptions,
  internalEntriesArb,
  internalProbesArb,
  icmp,
  probeTargets,
} from './helpers.js';

/** The key and value the block iterator's seek lands on, or undefined. */
function seekAnswer(block: Block, comparator: Comparator, target: Uint8Array): Entry | undefined {
  const it = block.iterator(comparator);
  it.seek(target);
  return it.valid() ? [it.key().slice(), it.value().slice()] : undefined;
}

/** What a binary search over the flat entries of block 1 (of 3: two neighbours around it) finds. */
function flatAnswer(flat: FlatEntries, comparator: Comparator, target: Uint8Array): Entry | undefined {
  const from = flat.firstEntry[1];
  const to = flat.firstEntry[2];
  const trailer = bytewiseTrailerSize(comparator) ?? -1;
  const e = searchKeys(flat.bytes, flat.starts, from, to, target, trailer, rangeCompareFor(comparator), 2);
  if (e >= to) return undefined;
  return [
    flat.bytes.slice(flat.starts[2 * e], flat.starts[2 * e + 1]),
    flat.bytes.slice(flat.starts[2 * e + 1], flat.starts[2 * e + 2]),
  ];
}

describe('FlatEntries (the decoded entries of resident tables)', () => {
  for (const [name, comparator, entries, probes] of [
    ['bytewise keys', bytewiseComparator, entriesArb, probesArb],
    ['internal keys', icmp, internalEntriesArb, internalProbesArb],
  ] as const) {
    it(`a search finds what the block iterator's seek finds, for every key present and absent (${name})`, () => {
      fc.assert(
        fc.property(entries, fc.integer({ min: 1, max: 20 }), probes, (entries, interval, probes) => {
          const builder = new BlockBuilder(interval);
          for (const [k, v] of entries) builder.add(k, v);
          const contents = builder.finish();
          // The block sits between two others in one array, as blocks do in a table's data region.
          const other = new BlockBuilder(interval);
          other.add(new Uint8Array([9, 9]), new Uint8Array([1]));
          const neighbour = other.finish();
          const src = new Uint8Array(neighbour.length * 2 + contents.length + 10);
          src.set(neighbour, 0);
          src.set(contents, neighbour.length + 5);
          src.set(neighbour, neighbour.length + contents.length + 10);
          const keyBytes = entries.reduce((n, [k]) => n + k.length, 4);
          const valueBytes = entries.reduce((n, [, v]) => n + v.length, 2);
          const flat = new FlatEntries(entries.length + 2, keyBytes, valueBytes, 3);
          flat.addBlock(0, src, 0, neighbour.length);
          flat.addBlock(1, src, neighbour.length + 5, neighbour.length + 5 + contents.length);
          flat.addBlock(2, src, neighbour.length + contents.length + 10, src.length);
          expect(flat.firstEntry[2] - flat.firstEntry[1]).toBe(entries.length);
          const block = new Block(contents);
          for (const target of probeTargets(entries, probes)) {
            expect(flatAnswer(flat, comparator, target)).toEqual(seekAnswer(block, comparator, target));
          }
        }),
        { numRuns: 60 },
      );
    });
  }
});

/** The entry `lookup` lands on, copied, or undefined. */
function lookupAnswer(table: TableReader, target: Uint8Array): Entry | undefined {
  const hit = table.lookup(target);
  return hit === undefined ? undefined : [hit.key().slice(), hit.value().slice()];
}

/** What an iterator's seek finds: the first entry >= target in the whole table. */
function iteratorAnswer(table: TableReader, target: Uint8Array): Entry | undefined {
  const it = table.iterator();
  it.seek(target);
  return it.valid() ? [it.key().slice(), it.value().slice()] : undefined;
}

describe('lookups through the decoded index, resident or not', () => {
  for (const [name, comparator, entries, probes] of [
    ['bytewise keys', bytewiseComparator, entriesArb, probesArb],
    ['internal keys', icmp, internalEntriesArb, internalProbesArb],
  ] as const) {
    it(`land where the table iterator's seek lands, at every block boundary (${name})`, () => {
      fc.assert(
        fc.property(entries, configArb, probes, (entries, config: TableConfig, probes) => {
          const fs = new MemoryFileSystem();
          buildTable(fs, entries, { ...builderOptions(config), comparator, filterPolicy: undefined });
          const options = { ...readerOptions(config), comparator, filterPolicy: undefined };
          const plain = TableReader.open(fs.openReadable('/t.sst'), options);
          const resident = TableReader.open(fs.openReadable('/t.sst'), options);
          resident.makeResident();
          expect(resident.isResident).toBe(true);
          // Block boundaries: the first and last key of every data block, and their neighbours.
          const edges: Uint8Array[] = [];
          for (const b of plain.dataBlocks()) {
            const keys = [...b.entries()].map((e) => e.key.slice());
            if (keys.length > 0) edges.push(keys[0], keys[keys.length - 1]);
          }
          for (const target of probeTargets(entries, [...probes, ...edges])) {
            const expected = iteratorAnswer(plain, target);
            const got = lookupAnswer(plain, target);
            // The lookup searches one block: it finds the iterator's answer, or nothing when that
            // answer is in a later block (target after its block's last key but before its separator).
            if (got !== undefined) expect(got).toEqual(expected);
            expect(lookupAnswer(resident, target)).toEqual(got);
            if (expected !== undefined && comparator.compare(expected[0], target) === 0) {
              expect(got).toEqual(expected);
            }
          }
          expect(iteratorAnswer(resident, new Uint8Array(0))).toEqual(
            iteratorAnswer(plain, new Uint8Array(0)),
          );
          plain.close();
          resident.close();
        }),
        { numRuns: 50 },
      );
    });
  }
});

describe('a resident table with a flipped byte in its data', () => {
  it('raises CORRUPTION on the read that meets it, or answers correctly; never a wrong answer', () => {
    fc.assert(
      fc.property(
        entriesArb,
        configArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        probesArb,
        (entries, config, position, mask, probes) => {
          const fs = new MemoryFileSystem();
          const props = buildTable(fs, entries, builderOptions(config));
          if (props.dataBytes === 0) return;
          const at = position % props.dataBytes;
          flip(fs, at, mask);
          const table = TableReader.open(fs.openReadable('/t.sst'), readerOptions(config));
          table.makeResident();
          for (let round = 0; round < 2; round++) {
            // Twice: a block that failed verification fails again (it is never kept as verified).
            expect(checkAnswers(table, entries, probes), `round ${round}`).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
