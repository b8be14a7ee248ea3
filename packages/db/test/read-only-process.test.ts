// A reader in another process refreshing in a loop while this process writes, flushes and compacts.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';

const script = fileURLToPath(new URL('./read-only-child.mjs', import.meta.url));
const key = (i: number) => `key${String(i).padStart(8, '0')}`;

describe('a read-only reader in another process', () => {
  it('sees only acknowledged states of the writer, through flushes, compactions and deletions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'velocity-reader-'));
    try {
      const db = await DB.open(dir, { memtableSize: 32 * 1024, maxManifestSize: 8 * 1024 });
      await db.write([
        { type: 'put', key: 'counter', value: '0' },
        { type: 'put', key: key(0), value: '0' },
      ]);
      const child = spawn(process.execPath, [script, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        err += d;
      });
      const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const tables = new Set<string>();
      const started = Date.now();
      let n = 0;
      const states = () => out.split('\n').filter((line) => line.startsWith('seen')).length;
      while (Date.now() - started < 3000 || states() < 20) {
        n++;
        await db.write([
          { type: 'put', key: 'counter', value: String(n) },
          { type: 'put', key: key(n), value: String(n).padEnd(60, ' ') },
        ]);
        if (n % 250 === 0) {
          await db.compactRange();
          for (const name of readdirSync(dir)) if (name.endsWith('.sst')) tables.add(name);
        }
        if (Date.now() - started > 20_000) break;
      }
      child.stdin.write(`final ${n}\n`);
      const code = await closed;
      await db.close();
      expect(err).toBe('');
      expect(out).not.toContain('error');
      expect(code).toBe(0);
      expect(out).toContain('done');
      expect(states()).toBeGreaterThanOrEqual(20);
      // The writer deleted tables the reader had open while it ran.
      const now = new Set(readdirSync(dir));
      expect([...tables].filter((name) => !now.has(name)).length).toBeGreaterThan(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
