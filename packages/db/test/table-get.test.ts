import {
  InternalKeyComparator,
  LookupKey,
  MemoryFileSystem,
  ValueKind,
  bytewiseComparator,
  fromUtf8,
  makeInternalKey,
  utf8,
} from '@velocity/core';
import { TableBuilder } from '@velocity/sstable';
import { describe, expect, it } from 'vitest';
import { TableFile } from '../src/file-meta.js';
import { tableFileName } from '../src/filenames.js';
import { TableCache } from '../src/table-cache.js';
import { DELETED } from '../src/table-get.js';
import { Version, compareLevel0 } from '../src/version.js';

const icmp = new InternalKeyComparator(bytewiseComparator);

function table(fs: MemoryFileSystem, id: number, entries: [string, number, ValueKind, string][]): TableFile {
  const file = fs.openWritable(tableFileName('/db', id));
  const b = new TableBuilder(file, { comparator: icmp });
  const keys = entries.map(([k, s, kind, v]) => [makeInternalKey(utf8(k), s, kind), utf8(v)] as const);
  const sorted = [...keys].sort((x, y) => icmp.compare(x[0], y[0]));
  for (const [k, v] of sorted) b.add(k, v);
  const props = b.finish();
  file.close();
  const seqs = entries.map((e) => e[1]);
  return new TableFile({
    id,
    size: props.fileSize,
    smallest: sorted[0][0],
    largest: sorted[sorted.length - 1][0],
    smallestSequence: Math.min(...seqs),
    largestSequence: Math.max(...seqs),
    entries: entries.length,
    tombstones: 0,
  });
}

function lookup(
  version: Version,
  tables: TableCache,
  key: string,
  sequence: number,
): string | undefined | 'deleted' {
  const found = version.get(new LookupKey().set(utf8(key), sequence), tables, { probes: 0 });
  if (found === DELETED) return 'deleted';
  return found === undefined ? undefined : fromUtf8(found);
}

describe('getFromTables', () => {
  it('takes the newest version across level-0 files whose sequence ranges overlap, then deeper levels', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/db');
    // A is newest by largest sequence but holds an older version of k than B.
    const a = table(fs, 1, [
      ['k', 5, ValueKind.Put, 'a5'],
      ['z', 100, ValueKind.Put, 'z100'],
    ]);
    const b = table(fs, 2, [
      ['k', 50, ValueKind.Put, 'b50'],
      ['m', 40, ValueKind.Delete, ''],
    ]);
    const deep = table(fs, 3, [
      ['m', 1, ValueKind.Put, 'm1'],
      ['q', 2, ValueKind.Put, 'q2'],
    ]);
    const version = new Version([[a, b].sort(compareLevel0), [deep], []], bytewiseComparator, () => {});
    const tables = new TableCache(fs, '/db', { comparator: icmp }, 't', 10);
    expect(lookup(version, tables, 'k', 1000)).toBe('b50');
    expect(lookup(version, tables, 'k', 49)).toBe('a5');
    expect(lookup(version, tables, 'k', 4)).toBeUndefined();
    expect(lookup(version, tables, 'm', 1000)).toBe('deleted');
    expect(lookup(version, tables, 'm', 39)).toBe('m1');
    expect(lookup(version, tables, 'q', 1000)).toBe('q2');
    expect(lookup(version, tables, 'a', 1000)).toBeUndefined();
    expect(lookup(version, tables, 'zz', 1000)).toBeUndefined();
    tables.close();
  });
});
