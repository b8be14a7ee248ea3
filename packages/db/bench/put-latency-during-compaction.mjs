// Put latency while a large compaction runs: loads N entries (default 300k, 16-byte keys, 100-byte
// values) through small memtables so they land in many level-0/level-1 tables, starts compactRange()
// without awaiting it, and times individual awaited puts until it finishes. Prints p50/p99/p99.9/max.
// Run after build: node bench/put-latency-during-compaction.mjs [entries]
// Extra DB.open options as JSON in VELOCITY_BENCH_OPTIONS, e.g. '{"compactionThread":"main"}'.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DB } from '../dist/index.js';

const entries = Number(process.argv[2] ?? 300_000);
const dir = mkdtempSync(join(tmpdir(), 'velocity-latency-'));
const key = (i) => `key${String(i).padStart(13, '0')}`;
const value = new Uint8Array(100).fill(42);
try {
  const db = await DB.open(dir, {
    memtableSize: 1 << 20,
    ...JSON.parse(process.env.VELOCITY_BENCH_OPTIONS || '{}'),
  });
  for (let start = 0; start < entries; start += 1000) {
    const batch = [];
    for (let i = start; i < Math.min(entries, start + 1000); i++)
      batch.push({ type: 'put', key: key((i * 7919) % entries), value });
    await db.write(batch);
  }
  await db.flush();
  const before = db.stats();
  let done = false;
  const started = performance.now();
  const compaction = db.compactRange({}).then(() => {
    done = true;
  });
  const latencies = [];
  let i = 0;
  while (!done) {
    const t = performance.now();
    await db.put(key(entries + i++), value);
    latencies.push(performance.now() - t);
  }
  await compaction;
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((q / 100) * latencies.length) - 1)].toFixed(3);
  console.log(
    `compactRange over ${before.files} tables (${(before.bytes / 2 ** 20).toFixed(1)} MiB) took ${seconds.toFixed(2)} s`,
  );
  console.log(
    `${latencies.length} puts meanwhile: p50 ${p(50)} ms, p99 ${p(99)} ms, p99.9 ${p(99.9)} ms, max ${latencies[latencies.length - 1].toFixed(3)} ms`,
  );
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
