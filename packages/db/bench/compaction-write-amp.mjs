// Write amplification of each compaction strategy on a real database (not the simulator): random
// overwrites of 16-byte keys with 100-byte values on disk, compactions running in the background, then
// stats().writeAmplification (log + flushes + compactions over user bytes), bytes on disk over live
// bytes, and the number of sorted runs at the end.
// Run after build: node bench/compaction-write-amp.mjs [writes=1000000] [keys=writes/3] [lazy T=4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LazyLevelingCompaction, LeveledCompaction, TieredCompaction } from '@velocity/compaction';
import { seededRandom } from '@velocity/core';
import { DB } from '../dist/index.js';

const writes = Number(process.argv[2] ?? 1_000_000);
const keySpace = Number(process.argv[3] ?? Math.floor(writes / 3));
const sizeRatio = Number(process.argv[4] ?? 4);
const strategies = [
  () => new LeveledCompaction(),
  () => new TieredCompaction(),
  () => new LazyLevelingCompaction({ sizeRatio }),
];
const value = new Uint8Array(100);

/** Waits until the process (compaction worker included) used under 10% of a core for 300 ms. */
async function quiet() {
  for (;;) {
    const cpu = process.cpuUsage();
    const from = performance.now();
    while (performance.now() - from < 300) await new Promise((resolve) => setTimeout(resolve, 1));
    const used = process.cpuUsage(cpu);
    if ((used.user + used.system) / 1000 / (performance.now() - from) < 0.1) return;
  }
}
const dir = mkdtempSync(join(tmpdir(), 'velocity-write-amp-'));
try {
  console.log(`${writes} random writes over ${keySpace} keys (16-byte keys, 100-byte values)`);
  console.log('strategy'.padEnd(15), 'write amp', 'space amp', 'sorted runs', 'seconds');
  for (const make of strategies) {
    const strategy = make();
    const db = await DB.open(join(dir, strategy.name), { compaction: strategy });
    const random = seededRandom(42);
    const started = performance.now();
    const live = new Set();
    for (let i = 0; i < writes; i += 100) {
      const batch = db.batch();
      for (let j = 0; j < 100; j++) {
        const k = Math.floor(random() * keySpace);
        live.add(k);
        for (let b = 0; b < value.length; b += 4) value[b] = (random() * 256) | 0;
        batch.put(String(k).padStart(16, '0'), value);
      }
      await batch.write();
    }
    await db.flush();
    await quiet();
    const s = db.stats();
    const runs = s.levels[0].files + s.levels.slice(1).filter((l) => l.files > 0).length;
    console.log(
      strategy.name.padEnd(15),
      s.writeAmplification.toFixed(2).padStart(9),
      (s.bytes / (live.size * 116)).toFixed(2).padStart(9),
      String(runs).padStart(11),
      ((performance.now() - started) / 1000).toFixed(1).padStart(7),
    );
    await db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
