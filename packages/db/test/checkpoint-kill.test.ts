// SIGKILL in the middle of db.checkpoint(): a checkpoint that returned opens with all the data, and
// one cut short either is refused at open or opens with all of it; never a database with part of it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVelocityError } from '@velocity/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';

const child = fileURLToPath(new URL('./checkpoint-kill-child.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'velocity-checkpoint-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const COUNT = 3000;

/** Runs the child and kills it `delayMs` after it printed "ready"; returns the checkpoints it finished. */
function runAndKill(dir: string, out: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, out, String(COUNT)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    let errors = '';
    let done = 0;
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', (d) => {
      buffer += d;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') timer = setTimeout(() => proc.kill('SIGKILL'), delayMs);
        if (line.startsWith('done ')) done = Number(line.slice(5)) + 1;
      }
    });
    proc.stderr.on('data', (d) => {
      errors += d;
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(done);
      else reject(new Error(`child exited ${code}: ${errors}`));
    });
  });
}

/** Every key with its newest value, or the error opening `dir` raised. */
async function contents(dir: string): Promise<number | Error> {
  let db: DB;
  try {
    db = await DB.open(dir, { createIfMissing: false });
  } catch (error) {
    return error as Error;
  }
  let n = 0;
  for (const [k, v] of db.iterator()) {
    const i = Number(new TextDecoder().decode(k).slice(3));
    const expected = i % 2 === 0 ? `new-${i}-` : `value-${i}-`;
    expect(new TextDecoder().decode(v)).toBe(expected.padEnd(200, '.'));
    n++;
  }
  await db.close();
  return n;
}

describe('SIGKILL during a checkpoint', () => {
  it('leaves no checkpoint that opens with part of the data', async () => {
    let cutShort = 0;
    for (const [run, delayMs] of [5, 17, 33, 61].entries()) {
      const out = join(root, `out${run}`);
      const finished = await runAndKill(join(root, `db${run}`), out, delayMs);
      // Finished checkpoints open whole.
      for (let n = 0; n < finished; n++) expect(await contents(join(out, `c${n}`))).toBe(COUNT);
      // The one in progress at the kill, if it got as far as creating its directory.
      const last = join(out, `c${finished}`);
      if (!existsSync(last)) continue;
      cutShort++;
      const got = await contents(last);
      if (got instanceof Error) expect(isVelocityError(got), String(got)).toBe(true);
      else expect(got).toBe(COUNT);
    }
    // At least one kill landed inside a checkpoint (each takes milliseconds; the child takes them back
    // to back), or the test would not test anything.
    expect(cutShort).toBeGreaterThan(0);
  }, 120_000);
});
