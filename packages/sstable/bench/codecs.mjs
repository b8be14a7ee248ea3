// Block codec candidates: compress and decompress MB/s and ratio on real data-block contents (sorted
// 16-byte keys with shared prefixes, prefix-compressed with restart points, 100-byte values), for three
// kinds of values: text-like, random, and half text / half random (LevelDB db_bench's 0.5 ratio).
// Run after `build`: `node bench/codecs.mjs`.
//
// Velocity's codecs come from ../dist. Candidate libraries are measured when they can be imported: the
// package's own dependencies always, others (snappyjs, lz4-wasm-nodejs) when installed here or in the
// folder named by CODEC_CANDIDATES (`npm i --prefix /tmp/c snappyjs lz4-wasm-nodejs`).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as velocity from '../dist/index.js';

const BLOCK_SIZE = 4096;
const RESTART_INTERVAL = 16;
const ENTRIES = 40_000; // about 4.6 MB of raw key/value bytes per data set
const RUNS = 5;

async function load(name) {
  try {
    return await import(name);
  } catch {
    const dir = process.env.CODEC_CANDIDATES;
    if (!dir) return undefined;
    try {
      return createRequire(join(dir, 'noop.js'))(name);
    } catch {
      return undefined;
    }
  }
}

// --- data -------------------------------------------------------------------------------------------
let seed = 0x9e3779b9;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}
const text = new TextEncoder();
const WORDS =
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so what no out more up said into do can time only about other like'.split(
    ' ',
  );
const FIELDS = ['name', 'city', 'note', 'tags', 'status'];
function textBytes(n) {
  let s = '{';
  while (s.length < n) {
    const field = FIELDS[Math.floor(random() * FIELDS.length)];
    const words = Array.from(
      { length: 1 + Math.floor(random() * 4) },
      () => WORDS[Math.floor(random() * WORDS.length)],
    );
    s += `"${field}":"${words.join(' ')}",`;
  }
  return text.encode(s.slice(0, n));
}
function randomBytes(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
  return out;
}
const VALUES = {
  text: () => textBytes(100),
  random: () => randomBytes(100),
  half: () => {
    const v = new Uint8Array(100);
    v.set(textBytes(50), 0);
    v.set(randomBytes(50), 50);
    return v;
  },
};
// 16-byte keys: a tenant prefix, then a zero-padded id (sorted, long shared prefixes).
const key = (i) => text.encode(`t${String(i % 7)}:u${String(i).padStart(12, '0')}`);

// The data-block layout of docs/formats/sstable.md (shared/unshared/value-length varints, restarts).
function varint(out, v) {
  while (v >= 128) {
    out.push((v & 127) | 128);
    v >>>= 7;
  }
  out.push(v);
}
function buildBlocks(makeValue) {
  const keys = Array.from({ length: ENTRIES }, (_, i) => key(i)).sort(Buffer.compare);
  const blocks = [];
  let bytes = [];
  let restarts = [0];
  let last = new Uint8Array(0);
  let counter = 0;
  const finish = () => {
    for (const r of [...restarts, restarts.length])
      bytes.push(r & 255, (r >>> 8) & 255, (r >>> 16) & 255, r >>> 24);
    blocks.push(Uint8Array.from(bytes));
    bytes = [];
    restarts = [0];
    counter = 0;
    last = new Uint8Array(0);
  };
  for (const k of keys) {
    let shared = 0;
    if (counter === RESTART_INTERVAL) {
      restarts.push(bytes.length);
      counter = 0;
    } else {
      while (shared < Math.min(k.length, last.length) && k[shared] === last[shared]) shared++;
    }
    const v = makeValue();
    varint(bytes, shared);
    varint(bytes, k.length - shared);
    varint(bytes, v.length);
    for (let i = shared; i < k.length; i++) bytes.push(k[i]);
    for (const b of v) bytes.push(b);
    last = k;
    counter++;
    if (bytes.length + restarts.length * 4 + 4 >= BLOCK_SIZE) finish();
  }
  if (bytes.length > 0) finish();
  return blocks;
}

// --- candidates -------------------------------------------------------------------------------------
const candidates = [];
for (const codec of velocity.builtinCodecs) {
  if (codec.id !== 0) candidates.push({ name: `velocity ${codec.name}`, ...bind(codec) });
}
function bind(codec) {
  return { compress: (b) => codec.compress(b), decompress: (c) => codec.decompress(c) };
}
const lz4js = await load('lz4js');
if (lz4js) {
  const table = new Uint32Array(1 << 16);
  const scratch = new Uint8Array(2 * BLOCK_SIZE + 64);
  candidates.push({
    name: 'lz4js block (raw)',
    compress: (b) => {
      table.fill(0);
      const n = lz4js.compressBlock(b, scratch, 0, b.length, table);
      return { bytes: scratch.slice(0, n), length: b.length };
    },
    decompress: (c) => {
      const out = new Uint8Array(c.length);
      lz4js.decompressBlock(c.bytes, out, 0, c.bytes.length, 0);
      return out;
    },
    size: (c) => c.bytes.length,
  });
}
const fflate = await load('fflate');
if (fflate) {
  for (const level of [1, 6]) {
    candidates.push({
      name: `fflate deflate level ${level}`,
      compress: (b) => ({ bytes: fflate.deflateSync(b, { level }), length: b.length }),
      decompress: (c) => fflate.inflateSync(c.bytes, { out: new Uint8Array(c.length) }),
      size: (c) => c.bytes.length,
    });
  }
}
const snappy = await load('snappyjs');
if (snappy) {
  candidates.push({
    name: 'snappyjs',
    compress: (b) => snappy.compress(b),
    decompress: (c) => snappy.uncompress(c),
  });
}
const lz4wasm = await load('lz4-wasm-nodejs');
if (lz4wasm) {
  candidates.push({
    name: 'lz4-wasm-nodejs (node only)',
    compress: (b) => lz4wasm.compress(b),
    decompress: (c) => lz4wasm.decompress(c),
  });
}

// --- measure ----------------------------------------------------------------------------------------
function best(fn) {
  let ms = Number.POSITIVE_INFINITY;
  let result;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    result = fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, result };
}

console.log(
  `codec bench: ${ENTRIES} entries (16-byte keys, 100-byte values) in ~${BLOCK_SIZE}-byte data blocks, node ${process.version}, best of ${RUNS}`,
);
console.log('ratio = raw / compressed; stored = share of blocks kept compressed (must save >= 1/8)\n');
const header = `${'values'.padEnd(7)} ${'codec'.padEnd(28)} ${'ratio'.padStart(6)} ${'stored'.padStart(7)} ${'compress'.padStart(12)} ${'decompress'.padStart(12)}`;
console.log(header);
for (const [kind, makeValue] of Object.entries(VALUES)) {
  const blocks = buildBlocks(makeValue);
  const raw = blocks.reduce((s, b) => s + b.length, 0);
  for (const c of candidates) {
    const size = c.size ?? ((x) => x.length);
    const packed = best(() => blocks.map((b) => c.compress(b)));
    const compressed = packed.result;
    const unpacked = best(() => compressed.map((x) => c.decompress(x)));
    for (let i = 0; i < blocks.length; i += 97) {
      if (Buffer.compare(Buffer.from(unpacked.result[i]), Buffer.from(blocks[i])) !== 0) {
        throw new Error(`${c.name} did not round-trip`);
      }
    }
    const total = compressed.reduce((s, x) => s + size(x), 0);
    const kept = compressed.filter((x, i) => size(x) < blocks[i].length - blocks[i].length / 8).length;
    const mbps = (ms) => `${((raw / 2 ** 20 / ms) * 1000).toFixed(0)} MB/s`;
    console.log(
      `${kind.padEnd(7)} ${c.name.padEnd(28)} ${(raw / total).toFixed(2).padStart(6)} ${`${Math.round((100 * kept) / blocks.length)}%`.padStart(7)} ${mbps(packed.ms).padStart(12)} ${mbps(unpacked.ms).padStart(12)}`,
    );
  }
  console.log('');
}
