// SkipListMemTable throughput and memory. Run after `build`:
//   node --expose-gc bench/memtable.mjs [entries]
// LevelDB's db_bench shape: random 16-byte keys, 100-byte values, 1M entries by default. Keys and values
// are views into two preallocated buffers, so the memory measured is the memtable's own.
import { SkipListMemTable } from '../dist/index.js';

const N = Number(process.argv[2] ?? 1_000_000);
const KEY = 16;
const VALUE = 100;
const gc = globalThis.gc;

let seed = 0x9e3779b9;
function random32() {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
function randomBytes(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const r = random32();
    out[i] = r;
    out[i + 1] = r >>> 8;
    out[i + 2] = r >>> 16;
    out[i + 3] = r >>> 24;
  }
  return out;
}

const keyBuf = randomBytes(N * KEY);
const missBuf = randomBytes(N * KEY);
const valueBuf = randomBytes(1 << 16);
const keyAt = (buf, i) => buf.subarray(i * KEY, i * KEY + KEY);
const valueAt = (i) => {
  const o = (i * 7919) & 0xffff & ~0x7f;
  return valueBuf.subarray(o, o + VALUE);
};
const order = Uint32Array.from({ length: N }, (_, i) => i);
for (let i = N - 1; i > 0; i--) {
  const j = random32() % (i + 1);
  [order[i], order[j]] = [order[j], order[i]];
}

function heapBytes() {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
const perSec = (count, ms) => `${(((count / ms) * 1000) / 1e6).toFixed(2)} M/s`;
function timed(fn) {
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
}

console.log(
  `memtable bench: ${N} entries, ${KEY}-byte random keys, ${VALUE}-byte values, node ${process.version}`,
);
if (!gc) console.log('(run with --expose-gc for exact memory figures)');

const before = heapBytes();
const mem = new SkipListMemTable();
const insert = timed(() => {
  for (let i = 0; i < N; i++) mem.add(i + 1, 1, keyAt(keyBuf, i), valueAt(i));
});
const after = heapBytes();
console.log(`insert        ${perSec(N, insert.ms)}  (${insert.ms.toFixed(0)} ms)`);
console.log(
  `memory        estimate ${(mem.approximateMemoryUsage() / N).toFixed(1)} B/entry, ` +
    `measured ${((after - before) / N).toFixed(1)} B/entry (heapUsed + arrayBuffers delta; ` +
    `key + value = ${KEY + VALUE} B)`,
);

const hits = timed(() => {
  let found = 0;
  for (let i = 0; i < N; i++) if (mem.get(keyAt(keyBuf, order[i]), Number.MAX_SAFE_INTEGER)) found++;
  return found;
});
if (hits.result !== N) throw new Error(`found ${hits.result} of ${N}`);
console.log(`get (hit)     ${perSec(N, hits.ms)}`);
const misses = timed(() => {
  let found = 0;
  for (let i = 0; i < N; i++) if (mem.get(keyAt(missBuf, i), Number.MAX_SAFE_INTEGER)) found++;
  return found;
});
console.log(`get (miss)    ${perSec(N, misses.ms)}`);

const it = mem.iterator();
const seeks = timed(() => {
  const target = new Uint8Array(KEY + 8).fill(0xff, KEY);
  for (let i = 0; i < N; i++) {
    target.set(keyAt(missBuf, i));
    it.seek(target);
  }
});
console.log(`seek          ${perSec(N, seeks.ms)}`);

const scanValues = timed(() => {
  let bytes = 0;
  for (it.seekToFirst(); it.valid(); it.next()) bytes += it.value().length;
  return bytes;
});
console.log(`scan forward  ${perSec(N, scanValues.ms)} (value only)`);
const scanKeys = timed(() => {
  let bytes = 0;
  for (it.seekToFirst(); it.valid(); it.next()) bytes += it.key().length + it.value().length;
  return bytes;
});
console.log(`scan forward  ${perSec(N, scanKeys.ms)} (key + value)`);
const scanBack = timed(() => {
  let bytes = 0;
  for (it.seekToLast(); it.valid(); it.prev()) bytes += it.value().length;
  return bytes;
});
console.log(`scan backward ${perSec(N, scanBack.ms)} (value only; O(1) back pointers)`);

// The alternative design, for comparison: LevelDB's prev() searches for the last node < the current key.
const list = mem.list;
const limit = Math.min(N, 200_000);
const searchBack = timed(() => {
  let n = list.prev(0);
  for (let i = 0; i < limit && n !== 0; i++) {
    const key = list.keyView(n);
    n = list.findLessThan(key, key.length, list.sequence(n), list.kind(n));
  }
});
console.log(
  `scan backward ${perSec(limit, searchBack.ms)} (LevelDB-style search for each prev, for comparison)`,
);

// What holding the caller's arrays (taking ownership) would cost in memory, without any structure.
const beforeHold = heapBytes();
const held = new Array(N);
for (let i = 0; i < N; i++) held[i] = [keyAt(keyBuf, i).slice(), valueAt(i).slice()];
const afterHold = heapBytes();
console.log(
  `ownership     holding ${N} key + value Uint8Array pairs alone: ` +
    `${((afterHold - beforeHold) / N).toFixed(1)} B/entry (the arena stores the bytes instead)`,
);
if (held.length !== N || mem.count !== N) throw new Error('unreachable');
