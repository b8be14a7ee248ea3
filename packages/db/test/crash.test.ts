// Kills a child process that writes to a real directory with SIGKILL at random moments, reopens the
// database and continues, several rounds; then checks that every write the child saw acknowledged
// survived (sync: false included: a process kill keeps what reached the OS) and that the survivors are a
// prefix of the writes (a write is never present while an earlier one is missing).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromUtf8 } from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import { afterAll, describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';

const child = fileURLToPath(new URL('./crash-child.mjs', import.meta.url));
const rounds = Number(process.env.VELOCITY_CRASH_ROUNDS ?? 4);

/**
 * Runs `script` with `args`, hands each line it prints to `onLine`, and kills it with SIGKILL `delayMs`
 * after its first output (so that every run writes something). Resolves once its output was read to
 * the end ('close', not 'exit', which can come before the last lines were read).
 */
function runUntilKilled(
  script: string,
  args: string[],
  delayMs: number,
  onLine: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let errors = '';
    proc.stdout.on('data', (d) => {
      buffer += d;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    proc.stderr.on('data', (d) => {
      errors += d;
    });
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.once('data', () => {
      timer = setTimeout(() => proc.kill('SIGKILL'), delayMs);
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited ${code}: ${errors}`));
    });
  });
}

/** Where the children append their acknowledgements (beside, not in, the database directories). */
const ackDir = mkdtempSync(join(tmpdir(), 'velocity-crash-acks-'));
afterAll(() => rmSync(ackDir, { recursive: true, force: true }));
let ackFiles = 0;

/** The "ack …" lines the child appended to `file` (read after it was killed). */
function ackLines(file: string): string[][] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('ack '))
        .map((line) => line.split(' '))
    : [];
}

/** Runs the child from key `start` and kills it after `delayMs`; returns the highest acknowledged key. */
async function runAndKill(dir: string, start: number, delayMs: number): Promise<number> {
  const acks = join(ackDir, `acks-${ackFiles++}.txt`);
  await runUntilKilled(child, [dir, String(start), acks], delayMs, () => {});
  let acked = start - 1;
  for (const [, n] of ackLines(acks)) acked = Math.max(acked, Number(n));
  return acked;
}

describe('SIGKILL crash test', () => {
  it(`keeps every acknowledged write across ${rounds} kills, and what survives is a prefix`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'velocity-crash-'));
    try {
      let next = 0;
      let lastAcked = -1;
      for (let round = 0; round < rounds; round++) {
        lastAcked = await runAndKill(dir, next, 100 + Math.floor(Math.random() * 400));
        expect(lastAcked).toBeGreaterThanOrEqual(next);
        // The next round starts after the last acknowledged key; an unacknowledged write may or may not
        // have survived, and the next round overwrites it with the same value.
        next = lastAcked + 1;
      }
      const db = await DB.open(dir, { fs: new NodeFileSystem() });
      try {
        const key = (i: number) => `key${String(i).padStart(8, '0')}`;
        let present = 0;
        for (const [k] of db.iterator({ gte: 'key', lt: 'kez' })) if (!fromUtf8(k).endsWith('b')) present++;
        // Every acknowledged write is there...
        for (let i = 0; i <= lastAcked; i++) {
          const v = db.getSync(key(i));
          expect(v === undefined ? undefined : fromUtf8(v).split('-')[1], `key ${i} of ${lastAcked}`).toBe(
            String(i),
          );
          if (i % 5 === 0) expect(db.getSync(`${key(i)}b`)).toBeDefined();
        }
        // ...and at most one unacknowledged write after them (the one in flight at the last kill).
        expect(present).toBeGreaterThanOrEqual(lastAcked + 1);
        expect(present).toBeLessThanOrEqual(lastAcked + 2);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('keeps every synced write acknowledged while pipelined fsyncs were in flight at the kill', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'velocity-crash-sync-'));
    try {
      const acked = await killSyncWriters(dir, 150 + Math.floor(Math.random() * 300));
      expect(acked.some((n) => n >= 0)).toBe(true);
      const db = await DB.open(dir, { fs: new NodeFileSystem() });
      try {
        for (let w = 0; w < 16; w++) {
          const prefix = `w${String(w).padStart(2, '0')}-`;
          const present = [...db.keys({ gte: prefix, lt: `${prefix}~` })].map((k) =>
            Number(fromUtf8(k).slice(prefix.length)),
          );
          // Every acknowledged put of the writer is there, and the survivors are a prefix of its puts
          // (at most the one in flight at the kill beyond the acknowledged ones).
          expect(present, `writer ${w}`).toEqual(present.map((_, i) => i));
          expect(present.length, `writer ${w}`).toBeGreaterThanOrEqual(acked[w] + 1);
          expect(present.length, `writer ${w}`).toBeLessThanOrEqual(acked[w] + 2);
        }
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Runs crash-sync-child.mjs and kills it `delayMs` after its first ack; the last ack of each writer. */
async function killSyncWriters(dir: string, delayMs: number): Promise<number[]> {
  const script = fileURLToPath(new URL('./crash-sync-child.mjs', import.meta.url));
  const acks = join(ackDir, `acks-${ackFiles++}.txt`);
  await runUntilKilled(script, [dir, acks], delayMs, () => {});
  const acked = Array.from({ length: 16 }, () => -1);
  for (const [, w, n] of ackLines(acks)) acked[Number(w)] = Math.max(acked[Number(w)], Number(n));
  return acked;
}
