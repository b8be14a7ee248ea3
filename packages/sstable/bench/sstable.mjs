// Codec speed and ratio on block-like data, then table build MB/s, point lookups/s (warm cache, no
// cache) and scan MB/s for 100k entries of 16-byte keys and 100-byte values. Run after build.
import { LruCache } from '@velocity/block-cache';
import { BloomFilterPolicy } from '@velocity/bloom';
import { MemoryFileSystem } from '@velocity/core';
import { deflateCodec, lz4Codec, noCompression, TableBuilder, TableReader } from '../dist/index.js';

let seed = 7;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const key = (i) => new TextEncoder().encode(`user:${String(i).padStart(11, '0')}`);
const textValue = () =>
  new TextEncoder().encode(
    Array.from({ length: 18 }, () => words[Math.floor(rand() * 10)])
      .join(' ')
      .slice(0, 100),
  );
const randomValue = () => Uint8Array.from({ length: 100 }, () => Math.floor(rand() * 256));

function time(fn) {
  const t = performance.now();
  const r = fn();
  return [r, (performance.now() - t) / 1000];
}

console.log('codec       data      ratio   compress MB/s  decompress MB/s');
for (const [kind, makeValue] of [
  ['text', textValue],
  ['random', randomValue],
]) {
  const blocks = [];
  for (let b = 0; b < 500; b++) {
    const parts = [];
    for (let i = 0; i < 35; i++) parts.push(key(b * 35 + i), makeValue());
    const len = parts.reduce((s, p) => s + p.length, 0);
    const block = new Uint8Array(len);
    let o = 0;
    for (const p of parts) {
      block.set(p, o);
      o += p.length;
    }
    blocks.push(block);
  }
  const total = blocks.reduce((s, b) => s + b.length, 0);
  for (const codec of [lz4Codec, deflateCodec]) {
    const [compressed, ct] = time(() => blocks.map((b) => codec.compress(b)));
    const [, dt] = time(() => compressed.map((c) => codec.decompress(c)));
    const size = compressed.reduce((s, c) => s + c.length, 0);
    console.log(
      `${codec.name.padEnd(11)} ${kind.padEnd(8)} ${(total / size).toFixed(2).padStart(6)} ${(total / 2 ** 20 / ct).toFixed(0).padStart(15)} ${(total / 2 ** 20 / dt).toFixed(0).padStart(16)}`,
    );
  }
}

const N = 100_000;
for (const codec of [noCompression, lz4Codec]) {
  const fs = new MemoryFileSystem();
  const entries = Array.from({ length: N }, (_, i) => [key(i), randomValue()]);
  const [, buildTime] = time(() => {
    const file = fs.openWritable('/t.sst');
    const b = new TableBuilder(file, { filterPolicy: new BloomFilterPolicy(10), compression: codec });
    for (const [k, v] of entries) b.add(k, v);
    b.finish();
    file.close();
  });
  const rawMB = (N * 116) / 2 ** 20;
  const order = Array.from({ length: N }, () => Math.floor(rand() * N));
  const lookups = (table) =>
    time(() => {
      for (const i of order) table.get(entries[i][0]);
    })[1];
  const cold = TableReader.open(fs.openReadable('/t.sst'), { filterPolicy: new BloomFilterPolicy(10) });
  const warm = TableReader.open(fs.openReadable('/t.sst'), {
    filterPolicy: new BloomFilterPolicy(10),
    blockCache: new LruCache({ capacity: 64 << 20 }),
    cacheId: 1,
  });
  lookups(warm);
  const [, scanTime] = time(() => {
    const it = cold.iterator();
    for (it.seekToFirst(); it.valid(); it.next()) it.value();
  });
  console.log(
    `${codec.name}: build ${(rawMB / buildTime).toFixed(1)} MB/s, lookups ${(N / lookups(warm) / 1e3).toFixed(0)}k/s warm cache, ${(N / lookups(cold) / 1e3).toFixed(0)}k/s no cache, scan ${(rawMB / scanTime).toFixed(1)} MB/s`,
  );
}
