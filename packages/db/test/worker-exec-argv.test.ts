// The compaction worker must not inherit the parent's `process.execArgv`: started from
// `node --input-type=module -e '...'` it failed to load ("--input-type can only be used with string
// input"), and the database went read-only at its first merge.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = new URL('../dist/index.js', import.meta.url).href;

describe('the compaction worker under node flags of the parent', () => {
  it('merges in the worker when the parent runs with --input-type=module -e', () => {
    const dir = mkdtempSync(join(tmpdir(), 'velocity-execargv-'));
    try {
      const script = `
        const { DB } = await import(${JSON.stringify(dist)});
        const db = await DB.open(${JSON.stringify(dir)}, { memtableSize: 64 * 1024, compactionThread: 'worker' });
        let merges = 0;
        db.on('compaction', (e) => { if (e.thread === 'worker') merges++; });
        for (let i = 0; i < 20000; i++) await db.put(String((i * 7919) % 20000).padStart(8, '0'), 'v'.repeat(100));
        await db.close();
        console.log('worker merges ' + merges);`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(Number(/worker merges (\d+)/.exec(run.stdout)?.[1] ?? 0)).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
