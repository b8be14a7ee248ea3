// db_bench-style numbers for @velocity/db (run `pnpm --filter @velocity/db... run build` first).
// Usage: node bench/db.mjs [entries=200000] [memory|disk=disk]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryFileSystem } from '@velocity/core';
import { DB } from '../dist/index.js';

const N = Number(process.argv[2] ?? 200_000);
const where = process.argv[3] ?? 'disk';
const VALUE_SIZE = 100;

function keyOf(i) {
  return `${String(i).padStart(16, '0')}`;
}
function randomValue() {
  const v = new Uint8Array(VALUE_SIZE);
  for (let i = 0; i < VALUE_SIZE; i++) v[i] = (Math.random() * 256) | 0;
  return v;
}
const values = Array.from({ length: 1024 }, randomValue);
const keys = Array.from({ length: N }, (_, i) => new TextEncoder().encode(keyOf(i)));
const order = Array.from({ length: N }, (_, i) => i);
for (let i = N - 1; i > 0; i--) {
  const j = (Math.random() * (i + 1)) | 0;
  [order[i], order[j]] = [order[j], order[i]];
}

async function open(dir) {
  return where === 'memory' ? DB.open('/db', { fs: new MemoryFileSystem() }) : DB.open(dir);
}

function report(name, n, ms, db) {
  const s = db.stats();
  const opsPerSec = Math.round(n / (ms / 1000));
  console.log(
    `${name.padEnd(12)} ${String(opsPerSec).padStart(9)} ops/s  ${((ms / n) * 1000).toFixed(2).padStart(7)} us/op  ` +
      `L0..: ${s.levels.map((l) => l.files).join(',')}  wamp ${s.writeAmplification.toFixed(2)}`,
  );
}

async function bench(name, fn, db, n = N) {
  const t = performance.now();
  await fn();
  report(name, n, performance.now() - t, db);
}

const dir = mkdtempSync(join(tmpdir(), 'velocity-bench-'));
try {
  let db = await open(join(dir, 'seq'));
  await bench(
    'fillseq',
    async () => {
      for (let i = 0; i < N; i++) await db.put(keys[i], values[i & 1023]);
    },
    db,
  );
  await bench(
    'readrandom',
    async () => {
      for (let i = 0; i < N; i++) db.getSync(keys[order[i]]);
    },
    db,
  );
  await bench(
    'readseq',
    async () => {
      for (const _ of db.iterator()) {
        /* count */
      }
    },
    db,
  );
  await bench(
    'readreverse',
    async () => {
      for (const _ of db.iterator({ reverse: true })) {
        /* count */
      }
    },
    db,
  );
  await db.close();

  db = await open(join(dir, 'random'));
  await bench(
    'fillrandom',
    async () => {
      for (let i = 0; i < N; i++) await db.put(keys[order[i]], values[i & 1023]);
    },
    db,
  );
  await bench(
    'overwrite',
    async () => {
      for (let i = 0; i < N; i++) await db.put(keys[order[(i * 7) % N]], values[i & 1023]);
    },
    db,
  );
  await bench(
    'readrandom',
    async () => {
      for (let i = 0; i < N; i++) db.getSync(keys[order[i]]);
    },
    db,
  );
  await bench(
    'readmissing',
    async () => {
      for (let i = 0; i < N; i++) db.getSync(`missing-${i}`);
    },
    db,
  );
  await bench(
    'fillsync',
    async () => {
      for (let i = 0; i < 1000; i++) await db.put(keys[i], values[i & 1023], { sync: true });
    },
    db,
    1000,
  );
  await bench(
    'fillbatch',
    async () => {
      for (let i = 0; i < N; i += 1000) {
        const b = db.batch();
        for (let j = i; j < i + 1000 && j < N; j++) b.put(keys[j], values[j & 1023]);
        await b.write();
      }
    },
    db,
  );
  await bench('compact', () => db.compactRange(), db, 1);
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
