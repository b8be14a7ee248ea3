// `await db.close()` must return even when it is the only work left in the process: a compaction
// worker that close() terminates must keep the event loop alive until it has exited. (On Node 20 an
// unref'd worker did not, and such a process ended with exit code 0 before close() returned.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./close-child.mjs', import.meta.url));

describe('close as the last pending work of a process', () => {
  it('returns (the process prints after it) after compactions ran in the worker', () => {
    for (let round = 0; round < 3; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'velocity-close-'));
      try {
        const run = spawnSync(process.execPath, [child, dir, '1500'], { encoding: 'utf8', timeout: 60_000 });
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        const merges = Number(/merges (\d+)/.exec(run.stdout)?.[1] ?? 0);
        expect(merges).toBeGreaterThan(0);
        expect(run.stdout).toContain('closed');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 120_000);
});
