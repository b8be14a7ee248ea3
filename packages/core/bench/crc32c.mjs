// CRC-32C throughput: Velocity's slice-by-8 against maintained pure-JS packages (@aws-crypto/crc32c,
// and SheetJS crc-32's CRC-32C build). Run after build: npm run bench (in packages/core).
import { crc32c as awsCrc32c } from '@aws-crypto/crc32c';
import sheetjs from 'crc-32/crc32c.js';
import { crc32c } from '../dist/index.js';

// Velocity's earlier slice-by-8 implementation, kept as the baseline the package was chosen against.
const POLY = 0x82f63b78;
const TABLES = (() => {
  const tables = [];
  const t0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t0[i] = c >>> 0;
  }
  tables.push(t0);
  for (let t = 1; t < 8; t++) {
    const prev = tables[t - 1];
    const next = new Uint32Array(256);
    for (let i = 0; i < 256; i++) next[i] = (prev[i] >>> 8) ^ t0[prev[i] & 0xff];
    tables.push(next);
  }
  return tables;
})();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;

function sliceBy8(crc, data, start = 0, end = data.length) {
  let c = ~crc >>> 0;
  let i = start;
  const fast = end - ((end - i) & 7);
  while (i < fast) {
    const lo = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) ^ c;
    c =
      T7[lo & 0xff] ^
      T6[(lo >>> 8) & 0xff] ^
      T5[(lo >>> 16) & 0xff] ^
      T4[lo >>> 24] ^
      T3[data[i + 4]] ^
      T2[data[i + 5]] ^
      T1[data[i + 6]] ^
      T0[data[i + 7]];
    i += 8;
  }
  while (i < end) c = T0[(c ^ data[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const check = new TextEncoder().encode('123456789');
const candidates = [
  ['velocity (crc-32 inside)', (b) => crc32c(b)],
  ['slice-by-8 (TypeScript)', (b) => sliceBy8(0, b)],
  ['@aws-crypto/crc32c', (b) => awsCrc32c(b)],
  ['crc-32 (crc32c)', (b) => sheetjs.buf(b) >>> 0],
];
for (const [name, fn] of candidates) {
  if (fn(check) !== 0xe3069283) throw new Error(`${name} gives a wrong CRC-32C`);
}
const sizes = [
  ['4 KiB blocks', 4096, 4096],
  ['1 MiB buffers', 1 << 20, 64],
];
console.log('implementation'.padEnd(22), ...sizes.map(([n]) => n.padStart(16)));
for (const [name, fn] of candidates) {
  const cells = [];
  for (const [, size, count] of sizes) {
    const data = Uint8Array.from({ length: size }, (_, i) => (i * 31) & 0xff);
    for (let i = 0; i < 20; i++) fn(data); // warm up
    const rounds = Math.max(1, Math.floor((64 << 20) / (size * count)));
    const t = performance.now();
    for (let r = 0; r < rounds; r++) for (let i = 0; i < count; i++) fn(data);
    const seconds = (performance.now() - t) / 1000;
    cells.push(`${((rounds * count * size) / 2 ** 20 / seconds).toFixed(0)} MB/s`.padStart(16));
  }
  console.log(name.padEnd(22), ...cells);
}
