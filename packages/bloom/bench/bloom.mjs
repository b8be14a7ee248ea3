// Bloom filter build and probe speed. Run after `build`: `node bench/bloom.mjs [keys] [bitsPerKey...]`.
// Keys are 16-byte views into one buffer (LevelDB's db_bench key size), so the numbers measure hashing
// and bit twiddling, not key allocation.
import { BloomFilterPolicy } from '../dist/index.js';

const n = Number(process.argv[2] ?? 1_000_000);
const bitsList = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [5, 10, 20];
const KEY = 16;

function makeKeys(count, offset) {
  const buf = new Uint8Array(count * KEY);
  const keys = new Array(count);
  const text = new TextEncoder();
  for (let i = 0; i < count; i++) {
    text.encodeInto(String(offset + i).padStart(KEY, '0'), buf.subarray(i * KEY, (i + 1) * KEY));
    keys[i] = buf.subarray(i * KEY, (i + 1) * KEY);
  }
  return keys;
}

const present = makeKeys(n, 0);
const absent = makeKeys(n, n);
const rate = (count, ms) => `${(((count / ms) * 1000) / 1e6).toFixed(2)} M keys/s`;

function best(runs, fn) {
  let bestMs = Number.POSITIVE_INFINITY;
  let result;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = fn();
    bestMs = Math.min(bestMs, performance.now() - t0);
  }
  return { ms: bestMs, result };
}

console.log(`bloom bench: ${n} keys of ${KEY} bytes, node ${process.version}, best of 3 runs`);
for (const bitsPerKey of bitsList) {
  const policy = new BloomFilterPolicy(bitsPerKey);
  const build = best(3, () => policy.createFilter(present));
  const filter = build.result;
  const hit = best(3, () => {
    let c = 0;
    for (let i = 0; i < n; i++) if (policy.keyMayMatch(present[i], filter)) c++;
    return c;
  });
  const miss = best(3, () => {
    let c = 0;
    for (let i = 0; i < n; i++) if (policy.keyMayMatch(absent[i], filter)) c++;
    return c;
  });
  if (hit.result !== n) throw new Error('false negative');
  console.log(
    `bitsPerKey=${bitsPerKey} k=${policy.probes} filter=${(filter.length / 1024).toFixed(0)} KiB | ` +
      `build ${rate(n, build.ms)} | probe present ${rate(n, hit.ms)} | probe absent ${rate(n, miss.ms)} | ` +
      `fp ${((miss.result / n) * 100).toFixed(3)}%`,
  );
}
