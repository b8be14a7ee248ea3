// The range-deletion block: written only for tables with range tombstones (format version 3, an entry
// 'velocity.range_del' in the metaindex), read back whole at open, refused by a version-2 reader, and
// damage to it is CORRUPTION at open, never a table that silently lost its tombstones.
import {
  MemoryFileSystem,
  crc32c,
  decodeFixed32,
  encodeFixed32,
  fromUtf8,
  maskCrc,
  utf8,
} from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { TableBuilder, TableReader } from '../src/index.js';
import { encodeRangeDelBlock } from '../src/range-del-block.js';

function writeFile(fs: MemoryFileSystem, path: string, bytes: Uint8Array): void {
  const f = fs.openWritable(path);
  f.append(bytes);
  f.close();
}

/** A table with two entries and, when asked, two range tombstones. */
function build(fs: MemoryFileSystem, withTombstones: boolean): Uint8Array {
  const file = fs.openWritable('/t.sst');
  const builder = new TableBuilder(file);
  builder.add(utf8('b'), utf8('1'));
  builder.add(utf8('m'), utf8('2'));
  if (withTombstones) {
    builder.addRangeTombstone(utf8('c'), utf8('k'), 7);
    builder.addRangeTombstone(utf8('a'), utf8('z'), 3);
    expect(builder.rangeTombstoneCount).toBe(2);
    builder.recordKeyRange(utf8('a'), utf8('z'));
  }
  builder.finish();
  file.close();
  return fs.readFile('/t.sst');
}

const footerVersion = (bytes: Uint8Array) => decodeFixed32(bytes, bytes.length - 16);

describe('range-deletion block', () => {
  it('round-trips the tombstones and raises the version to 3 only when there are some', () => {
    const fs = new MemoryFileSystem();
    const plain = build(fs, false);
    expect(footerVersion(plain)).toBe(1);
    expect(TableReader.open(fs.openReadable('/t.sst')).rangeTombstones()).toEqual([]);
    const bytes = build(fs, true);
    expect(footerVersion(bytes)).toBe(3);
    const reader = TableReader.open(fs.openReadable('/t.sst'));
    const got = reader.rangeTombstones().map((t) => [fromUtf8(t.start), fromUtf8(t.end), t.sequence]);
    expect(got).toEqual([
      ['a', 'z', 3],
      ['c', 'k', 7],
    ]);
    expect(fromUtf8(reader.properties.smallestKey)).toBe('a');
    expect(fromUtf8(reader.properties.largestKey)).toBe('z');
    expect(reader.get(utf8('m'))?.value).toEqual(utf8('2'));
    reader.close();
  });

  it('is refused by a reader of version 2 (FORMAT_VERSION), as such code would ignore the block', () => {
    const fs = new MemoryFileSystem();
    const bytes = build(fs, true);
    // What a version-2 reader does: refuse a footer version above its own.
    expect(footerVersion(bytes)).toBeGreaterThan(2);
    // And this reader refuses a block claimed by a table of version 2 (a footer rewritten to 2).
    const footer = bytes.length - 56;
    encodeFixed32(bytes, footer + 40, 2);
    encodeFixed32(bytes, footer + 44, maskCrc(crc32c(bytes, footer, footer + 44)));
    writeFile(fs, '/t.sst', bytes);
    expect(() => TableReader.open(fs.openReadable('/t.sst'))).toThrow(
      expect.objectContaining({ code: 'CORRUPTION' }),
    );
  });

  it('reports CORRUPTION for any flipped byte of the block', () => {
    const fs = new MemoryFileSystem();
    const bytes = build(fs, true);
    const rangeStart = findBlock(bytes);
    let checked = 0;
    for (let i = rangeStart.offset; i < rangeStart.offset + rangeStart.size + 5; i++) {
      const damaged = bytes.slice();
      damaged[i] ^= 0x40;
      writeFile(fs, '/d.sst', damaged);
      expect(() => TableReader.open(fs.openReadable('/d.sst')), `byte ${i}`).toThrow(
        expect.objectContaining({ code: 'CORRUPTION' }),
      );
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });
});

/** The handle of the range-deletion block, from the metaindex (read through a clean open). */
function findBlock(bytes: Uint8Array): { offset: number; size: number } {
  // The range-deletion block follows the data (no filter here).
  const fs = new MemoryFileSystem();
  writeFile(fs, '/x.sst', bytes);
  const reader = TableReader.open(fs.openReadable('/x.sst'));
  const offset = reader.properties.dataBytes;
  reader.close();
  const size = encodeRangeDelBlock([
    { start: utf8('c'), end: utf8('k'), sequence: 7 },
    { start: utf8('a'), end: utf8('z'), sequence: 3 },
  ]).length;
  return { offset, size };
}

describe('decodeRangeDelBlock', () => {
  it('refuses an entry whose trailer is not a range tombstone', async () => {
    const { BlockBuilder } = await import('../src/block-builder.js');
    const { decodeRangeDelBlock } = await import('../src/range-del-block.js');
    const builder = new BlockBuilder(1);
    builder.add(Uint8Array.of(0x61, 1, 0, 0, 0, 0, 0, 0, 0), utf8('b')); // kind 1, not 15
    expect(() => decodeRangeDelBlock(builder.finish())).toThrow(
      expect.objectContaining({ code: 'CORRUPTION' }),
    );
    const short = new BlockBuilder(1);
    short.add(Uint8Array.of(15), utf8('b'));
    expect(() => decodeRangeDelBlock(short.finish())).toThrow(
      expect.objectContaining({ code: 'CORRUPTION' }),
    );
  });
});
