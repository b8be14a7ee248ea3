// WAL throughput: MB/s of appends without sync (100-byte and 4 KiB records) and records/s with an
// fsync every N records, on a real temporary directory. Run after build: npm run bench (packages/wal).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeFileSystem } from '@velocity/core/node';
import { LogWriter } from '../dist/index.js';

const fs = new NodeFileSystem();
const dir = mkdtempSync(join(tmpdir(), 'velocity-wal-bench-'));
try {
  for (const size of [100, 4096]) {
    const record = new Uint8Array(size).fill(7);
    const writer = new LogWriter(fs.openWritable(join(dir, `nosync-${size}.log`)));
    const count = Math.floor((256 << 20) / size);
    const t = performance.now();
    for (let i = 0; i < count; i++) writer.addRecord(record);
    writer.flush();
    const seconds = (performance.now() - t) / 1000;
    writer.close();
    console.log(
      `append ${size}-byte records, no sync: ${((count * size) / 2 ** 20 / seconds).toFixed(0)} MB/s (${(count / seconds / 1e3).toFixed(0)}k records/s)`,
    );
  }
  for (const every of [1, 10, 100]) {
    const record = new Uint8Array(100).fill(1);
    const writer = new LogWriter(fs.openWritable(join(dir, `sync-${every}.log`)));
    const count = every === 1 ? 2000 : 20000;
    const t = performance.now();
    for (let i = 1; i <= count; i++) {
      writer.addRecord(record);
      if (i % every === 0) writer.sync();
    }
    const seconds = (performance.now() - t) / 1000;
    writer.close();
    console.log(`100-byte records, sync every ${every}: ${(count / seconds).toFixed(0)} records/s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
