import { BloomFilterPolicy } from '@velocity/bloom';
import { fromUtf8, MemoryFileSystem, utf8 } from '@velocity/core';
import { expect, it } from 'vitest';
import { lz4Codec, TableBuilder, TableReader } from '../src/index.js';

it('runs the README example', () => {
  const fs = new MemoryFileSystem();
  const file = fs.openWritable('/fruits.sst');
  const builder = new TableBuilder(file, { filterPolicy: new BloomFilterPolicy(10), compression: lz4Codec });
  for (const [k, v] of [
    ['apple', 'red'],
    ['banana', 'yellow'],
    ['cherry', 'dark red'],
  ])
    builder.add(utf8(k), utf8(v));
  const properties = builder.finish();
  file.sync();
  file.close();
  expect(properties.entries).toBe(3);
  const table = TableReader.open(fs.openReadable('/fruits.sst'), { filterPolicy: new BloomFilterPolicy(10) });
  expect(fromUtf8(table.get(utf8('banana'))!.value)).toBe('yellow');
  const keys: string[] = [];
  const it = table.iterator();
  for (it.seekToLast(); it.valid(); it.prev()) keys.push(fromUtf8(it.key()));
  expect(keys).toEqual(['cherry', 'banana', 'apple']);
  table.close();
});
