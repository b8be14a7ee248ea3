import {
  type Comparator,
  MemoryFileSystem,
  type SeekableIterator,
  ValueKind,
  bytewiseComparator,
  compareBytes,
  isVelocityError,
  makeInternalKey,
} from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlatEntries } from '../src/flat-entries.js';
import type { ResidentBlocks } from '../src/resident-blocks.js';
import { TableReader, lz4Codec, noCompression } from '../src/index.js';
import {
  type Entry,
  attempt,
  buildTable,
  checkAnswers,
  entriesArb,
  flip,
  isCorruption,
  probesArb,
  internalEntriesArb,
  internalProbesArb,
  icmp,
  probeTargets,
} from './helpers.js';

/** Byte order reversed: a comparator with no bytewise trailer, so resident searches compare through it. */
const reverseComparator: Comparator = {
  name: 'test.ReverseBytewise',
  compare: (a, b) => compareBytes(b, a),
  findShortestSeparator: (start) => start,
  findShortSuccessor: (key) => key,
};

/** How a table is written and made resident. */
interface Layout {
  blockSize: number;
  restartInterval: number;
  compressed: boolean;
  /** Bytes read at a time while making the table resident. */
  readChunk: number;
  /** Whether the file can read into memory (`readInto`); the reader copies from `read` otherwise. */
  readInto: boolean;
}

const layoutArb: fc.Arbitrary<Layout> = fc.record({
  blockSize: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 300, max: 4096 })),
  restartInterval: fc.integer({ min: 1, max: 24 }),
  compressed: fc.boolean(),
  readChunk: fc.constantFrom(1, 7, 100, 777, 4099, 1 << 20),
  readInto: fc.boolean(),
});

/** A move of an iterator. */
type Move =
  | { op: 'next' }
  | { op: 'prev' }
  | { op: 'seek'; target: number }
  | { op: 'first' }
  | { op: 'last' };

const movesArb: fc.Arbitrary<Move[]> = fc.array(
  fc.oneof(
    fc.constant<Move>({ op: 'next' }),
    fc.constant<Move>({ op: 'prev' }),
    fc.constant<Move>({ op: 'first' }),
    fc.constant<Move>({ op: 'last' }),
    fc.nat().map((target): Move => ({ op: 'seek', target })),
  ),
  { maxLength: 60 },
);

/** The entry an iterator is at (copied), or undefined when it is not valid. */
function at(it: SeekableIterator): Entry | undefined {
  return it.valid() ? [it.key().slice(), it.value().slice()] : undefined;
}

/** Applies `move` to `it`, as long as it is valid for `next`/`prev`; returns where it is then. */
function apply(it: SeekableIterator, move: Move, all: readonly Uint8Array[]): Entry | undefined {
  if (move.op === 'next' && it.valid()) it.next();
  if (move.op === 'prev' && it.valid()) it.prev();
  if (move.op === 'first') it.seekToFirst();
  if (move.op === 'last') it.seekToLast();
  if (move.op === 'seek') it.seek(all[move.target % all.length]);
  return at(it);
}

/** The first and last key of every data block of `table`, read through the file. */
function blockEdges(table: TableReader): Uint8Array[] {
  const edges: Uint8Array[] = [];
  for (const b of table.dataBlocks()) {
    const keys = [...b.entries()].map((e) => e.key.slice());
    if (keys.length > 0) edges.push(keys[0], keys[keys.length - 1]);
  }
  return edges;
}

/** Writes `entries` under `comparator` and opens it twice: read through the file, and resident. */
function twoReaders(
  entries: readonly Entry[],
  comparator: Comparator,
  layout: Layout,
): { fs: MemoryFileSystem; plain: TableReader; resident: TableReader } {
  const fs = new MemoryFileSystem();
  buildTable(fs, entries, {
    comparator,
    blockSize: layout.blockSize,
    blockRestartInterval: layout.restartInterval,
    compression: layout.compressed ? lz4Codec : noCompression,
  });
  const plain = TableReader.open(fs.openReadable('/t.sst'), { comparator });
  const file = fs.openReadable('/t.sst');
  const readable = layout.readInto
    ? file
    : {
        path: file.path,
        size: file.size,
        read: (offset: number, length: number) => file.read(offset, length),
        close: () => file.close(),
      };
  const resident = TableReader.open(readable, { comparator });
  const step = resident.makeResidentInSteps(layout.readChunk);
  while (!step(() => true));
  expect(resident.isResident).toBe(true);
  return { fs, plain, resident };
}

/** The copied answer of a lookup, or undefined. */
function copied(hit: ReturnType<TableReader['lookup']>): Entry | undefined {
  return hit === undefined ? undefined : [hit.key().slice(), hit.value().slice()];
}

describe('resident tables (flat entries only) answer as the table read through its file', () => {
  for (const [name, comparator, entries, probes] of [
    ['bytewise keys', bytewiseComparator, entriesArb, probesArb],
    ['internal keys', icmp, internalEntriesArb, internalProbesArb],
    ['a comparator that is not bytewise', reverseComparator, entriesArb, probesArb],
  ] as const) {
    it(`lookups, seeks, scans both ways and random walks, at every block boundary (${name})`, () => {
      fc.assert(
        fc.property(
          entries.map((e) => [...e].sort((a, b) => comparator.compare(a[0], b[0]))),
          layoutArb,
          probes,
          movesArb,
          (entries, layout, probes, moves) => {
            const { plain, resident } = twoReaders(entries, comparator, layout);
            const all = probeTargets(entries, [...probes, ...blockEdges(plain)]);
            for (const target of all) {
              const expected = copied(plain.lookup(target));
              expect(copied(resident.lookup(target))).toEqual(expected);
              const point = copied(resident.lookupPoint(target));
              // A point lookup may leave out another user key's entry, never change an answer.
              if (point !== undefined) expect(point).toEqual(expected);
              const a = plain.iterator();
              const b = resident.iterator();
              a.seek(target);
              b.seek(target);
              expect(at(b)).toEqual(at(a));
            }
            const forward = (t: TableReader) => {
              const out: Entry[] = [];
              const it = t.iterator();
              for (it.seekToFirst(); it.valid(); it.next()) out.push(at(it) as Entry);
              return out;
            };
            const backward = (t: TableReader) => {
              const out: Entry[] = [];
              const it = t.iterator();
              for (it.seekToLast(); it.valid(); it.prev()) out.push(at(it) as Entry);
              return out;
            };
            expect(forward(resident)).toEqual(entries);
            expect(forward(plain)).toEqual(entries);
            expect(backward(resident)).toEqual([...entries].reverse());
            const a = plain.iterator();
            const b = resident.iterator();
            for (const move of moves) expect(apply(b, move, all)).toEqual(apply(a, move, all));
            plain.close();
            resident.close();
          },
        ),
        { numRuns: 25 },
      );
    });
  }

  it('keep working for iterators opened before the reader dropped its resident copy', () => {
    fc.assert(
      fc.property(entriesArb, layoutArb, movesArb, fc.nat(), (entries, layout, moves, dropAt) => {
        const { plain, resident } = twoReaders(entries, bytewiseComparator, layout);
        const all = probeTargets(entries, blockEdges(plain));
        const a = plain.iterator();
        const b = resident.iterator();
        a.seekToFirst();
        b.seekToFirst();
        moves.forEach((move, i) => {
          if (i === dropAt % (moves.length + 1)) resident.dropResident();
          expect(apply(b, move, all)).toEqual(apply(a, move, all));
        });
        expect(resident.isResident).toBe(dropAt % (moves.length + 1) >= moves.length);
        plain.close();
        resident.close();
      }),
      { numRuns: 25 },
    );
  });
});

describe('memory of a resident table', () => {
  for (const [name, comparator] of [
    ['bytewise', bytewiseComparator],
    ['internal keys', icmp],
    ['not bytewise (no hash index)', reverseComparator],
  ] as const) {
    it(`residentBytes is exactly the bytes of its arrays, before and after loading (${name})`, () => {
      fc.assert(
        fc.property(entriesArb, layoutArb, (entries, layout) => {
          const keyed =
            comparator === icmp
              ? entries.map(([k, v], i): Entry => [makeInternalKey(k, i, ValueKind.Put), v])
              : [...entries];
          keyed.sort((x, y) => comparator.compare(x[0], y[0]));
          const { plain, resident } = twoReaders(keyed, comparator, layout);
          const held = (resident as unknown as { resident: ResidentBlocks }).resident;
          expect(resident.residentBytes).toBe(plain.residentBytes);
          expect(held.byteSize).toBe(resident.residentBytes);
          const p = resident.properties;
          const hash =
            comparator === reverseComparator ? 0 : 8 * Math.max(16, Math.ceil((p.entries * 4) / 3));
          const blocks = [...plain.dataBlocks()].length;
          expect(resident.residentBytes).toBe(
            p.rawKeyBytes + p.rawValueBytes + 4 * (2 * p.entries + 1) + 4 * (blocks + 1) + hash,
          );
          plain.close();
          resident.close();
        }),
        { numRuns: 20 },
      );
    });
  }

  it('holds no copy of the data region: its arrays are the keys, the values and their positions', () => {
    const entries: Entry[] = [];
    for (let i = 0; i < 2000; i++) {
      entries.push([new TextEncoder().encode(String(i).padStart(16, '0')), new Uint8Array(100).fill(i)]);
    }
    const { plain, resident } = twoReaders(entries, bytewiseComparator, {
      blockSize: 4096,
      restartInterval: 16,
      compressed: false,
      readChunk: 1 << 20,
      readInto: true,
    });
    const held = (resident as unknown as { resident: ResidentBlocks }).resident;
    // 16 + 100 bytes of key and value, 8 of positions and 8 per hash slot (4/3 slots per entry).
    expect(held.byteSize).toBeLessThan(2000 * (116 + 8 + 11) + 1000);
    // The former design: the data region, plus the keys whole and 12 bytes per entry, plus the hash.
    const p = resident.properties;
    expect(held.byteSize).toBeLessThan(
      p.dataBytes + p.rawKeyBytes + 12 * p.entries + 8 * Math.ceil((p.entries * 4) / 3),
    );
    plain.close();
    resident.close();
  });
});

describe('FlatEntries sized from the properties', () => {
  it('refuses a block holding more value bytes than the table says, and keeps the others', () => {
    const fs = new MemoryFileSystem();
    const entries: Entry[] = [
      [new Uint8Array([1]), new Uint8Array(10).fill(1)],
      [new Uint8Array([2]), new Uint8Array(10).fill(2)],
    ];
    buildTable(fs, entries.slice(0, 1), { blockSize: 1 }, '/a.sst');
    buildTable(fs, entries.slice(1), { blockSize: 1 }, '/b.sst');
    const block = (path: string) => {
      const bytes = fs.readFile(path);
      const table = TableReader.open(fs.openReadable(path));
      const [only] = [...table.dataBlocks()];
      table.close();
      return bytes.subarray(only.offset, only.offset + only.size);
    };
    // Room for two keys but only 15 bytes of values: the second block overflows.
    const flat = new FlatEntries(2, 2, 15, 3);
    flat.addBlock(0, block('/a.sst'), 0, block('/a.sst').length);
    const error = attempt(() => flat.addBlock(1, block('/b.sst'), 0, block('/b.sst').length));
    expect(isVelocityError(error, 'CORRUPTION')).toBe(true);
    expect(flat.count).toBe(1);
    expect([flat.firstEntry[1], flat.firstEntry[2]]).toEqual([1, 1]);
    expect(flat.bytes.subarray(flat.starts[1], flat.starts[2])).toEqual(entries[0][1]);
    // Entry 0's key (1 byte), then its value; the failed block left nothing behind it.
    expect([flat.starts[0], flat.starts[1], flat.starts[2]]).toEqual([0, 1, 11]);
  });
});

describe('a resident table read a little at a time with a flipped byte', () => {
  it('raises CORRUPTION from lookups and iterators that meet the block, or answers correctly', () => {
    fc.assert(
      fc.property(
        entriesArb,
        layoutArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        probesArb,
        (entries, layout, position, mask, probes) => {
          const fs = new MemoryFileSystem();
          const props = buildTable(fs, entries, {
            blockSize: layout.blockSize,
            blockRestartInterval: layout.restartInterval,
            compression: layout.compressed ? lz4Codec : noCompression,
          });
          if (props.dataBytes === 0) return;
          flip(fs, position % props.dataBytes, mask);
          const table = TableReader.open(fs.openReadable('/t.sst'));
          const step = table.makeResidentInSteps(layout.readChunk);
          while (!step(() => true));
          for (let round = 0; round < 2; round++) checkAnswers(table, entries, probes);
          // Seeks too: each lands right or raises CORRUPTION.
          for (const target of probeTargets(entries, probes)) {
            const it = table.iterator();
            const got = attempt(() => {
              it.seek(target);
              return at(it);
            });
            if (isCorruption(got)) continue;
            const i = entries.findIndex(([k]) => compareBytes(k, target) >= 0);
            expect(got).toEqual(i < 0 ? undefined : entries[i]);
          }
          table.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
