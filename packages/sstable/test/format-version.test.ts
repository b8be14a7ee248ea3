import { MemoryFileSystem, crc32c, decodeFixed32, encodeFixed32, maskCrc, utf8 } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { BASE_TABLE_FORMAT_VERSION, TABLE_FORMAT_VERSION, TableBuilder, TableReader } from '../src/index.js';

/** Builds a one-entry table, raising its format version to `version` when given. */
function build(fs: MemoryFileSystem, version?: number): Uint8Array {
  const file = fs.openWritable('/t.sst');
  const builder = new TableBuilder(file);
  if (version !== undefined) builder.requireFormatVersion(version);
  builder.add(utf8('k'), utf8('v'));
  builder.finish();
  file.close();
  return fs.readFile('/t.sst');
}

/** The version field of a table's footer (bytes 40..43 of the last 56). */
const footerVersion = (bytes: Uint8Array) => decodeFixed32(bytes, bytes.length - 16);

describe('table format versions', () => {
  it('writes version 1 unless the contents need more, and reads every version up to its own', () => {
    const fs = new MemoryFileSystem();
    expect(footerVersion(build(fs))).toBe(BASE_TABLE_FORMAT_VERSION);
    expect(footerVersion(build(fs, 1))).toBe(1);
    expect(footerVersion(build(fs, TABLE_FORMAT_VERSION))).toBe(TABLE_FORMAT_VERSION);
    expect(TableReader.open(fs.openReadable('/t.sst')).get(utf8('k'))?.value).toEqual(utf8('v'));
  });

  it('refuses to write a version it does not know', () => {
    const builder = new TableBuilder(new MemoryFileSystem().openWritable('/t.sst'));
    for (const v of [0, TABLE_FORMAT_VERSION + 1, 1.5])
      expect(() => builder.requireFormatVersion(v)).toThrow(/version/);
  });

  it('refuses a table of a newer version than its own with FORMAT_VERSION (as version-1 code refuses version 2)', () => {
    const fs = new MemoryFileSystem();
    const bytes = build(fs, TABLE_FORMAT_VERSION);
    const footer = bytes.length - 56;
    encodeFixed32(bytes, footer + 40, TABLE_FORMAT_VERSION + 1);
    encodeFixed32(bytes, footer + 44, maskCrc(crc32c(bytes, footer, footer + 44)));
    const f = fs.openWritable('/newer.sst');
    f.append(bytes);
    f.close();
    expect(() => TableReader.open(fs.openReadable('/newer.sst'))).toThrow(
      expect.objectContaining({ code: 'FORMAT_VERSION' }),
    );
  });
});
