// Table speed: build MB/s, point lookups/s (warm block cache, no cache, absent keys), forward and
// backward scan MB/s, for 100k entries of 16-byte keys and 100-byte values (LevelDB db_bench sizes),
// with a 10-bit bloom filter, without and with LZ4. Values are half text-like, half random, so LZ4 has
// something to do. In-memory file system: this measures the format code, not the disk.
// Run after `build`: `node bench/sstable.mjs [entries]`.
import { LruCache } from '@velocity/block-cache';
import { BloomFilterPolicy } from '@velocity/bloom';
import { MemoryFileSystem } from '@velocity/core';
import { TableBuilder, TableReader, lz4Codec, noCompression } from '../dist/index.js';

const N = Number(process.argv[2] ?? 100_000);
const RUNS = 3;
let seed = 7;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const text = new TextEncoder();
const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const key = (i) => text.encode(`user:${String(i).padStart(11, '0')}`);
function value() {
  const v = new Uint8Array(100);
  v.set(
    text.encode(Array.from({ length: 12 }, () => words[Math.floor(rand() * 10)]).join(' ')).subarray(0, 50),
  );
  for (let i = 50; i < 100; i++) v[i] = Math.floor(rand() * 256);
  return v;
}

function best(fn) {
  let ms = Number.POSITIVE_INFINITY;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms / 1000;
}

const entries = Array.from({ length: N }, (_, i) => [key(i), value()]);
const present = entries.map(([k]) => k);
const absent = Array.from({ length: N }, (_, i) => text.encode(`user:${String(i).padStart(10, '0')}x`));
const order = Array.from({ length: N }, () => Math.floor(rand() * N));
const rawMB = (N * 116) / 2 ** 20;
const policy = new BloomFilterPolicy(10);

console.log(
  `sstable bench: ${N} entries, 16-byte keys, 100-byte values, 4 KiB blocks, bloom 10 bits/key, node ${process.version}, best of ${RUNS}`,
);
for (const codec of [noCompression, lz4Codec]) {
  const fs = new MemoryFileSystem();
  let props;
  const buildTime = best(() => {
    const file = fs.openWritable('/t.sst');
    const builder = new TableBuilder(file, { filterPolicy: policy, compression: codec });
    for (const [k, v] of entries) builder.add(k, v);
    props = builder.finish();
    file.close();
  });
  const lookups = (table, keys) =>
    best(() => {
      for (const i of order) table.get(keys[i]);
    });
  const cold = TableReader.open(fs.openReadable('/t.sst'), { filterPolicy: policy });
  const warm = TableReader.open(fs.openReadable('/t.sst'), {
    filterPolicy: policy,
    blockCache: new LruCache({ capacity: 64 << 20 }),
    cacheId: 1,
  });
  for (const [k] of entries) warm.get(k); // warm the cache
  const warmTime = lookups(warm, present);
  const coldTime = lookups(cold, present);
  const absentTime = lookups(cold, absent);
  const scan = best(() => {
    const it = cold.iterator();
    for (it.seekToFirst(); it.valid(); it.next()) it.value();
  });
  const reverse = best(() => {
    const it = cold.iterator();
    for (it.seekToLast(); it.valid(); it.prev()) it.value();
  });
  const k = (seconds) => `${(N / seconds / 1e3).toFixed(0)}k/s`;
  const mb = (seconds) => `${(rawMB / seconds).toFixed(0)} MB/s`;
  console.log(
    `${codec.name.padEnd(5)} file ${(props.fileSize / 2 ** 20).toFixed(1)} MiB (${props.dataBlocks} blocks): build ${mb(buildTime)}, ` +
      `get ${k(warmTime)} warm cache, ${k(coldTime)} no cache, ${k(absentTime)} absent (filter), ` +
      `scan ${mb(scan)} forward, ${mb(reverse)} backward`,
  );
}
