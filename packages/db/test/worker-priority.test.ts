// The compaction worker's CPU priority (`compactionThreadPriority`): on Linux the default `'low'`
// starts a thread whose nice value is LOW_PRIORITY_NICE (19) above the process's, capped at 19, `'normal'` one at the process's own.
// Threads are read from /proc/self/task, and only threads that appear while the test runs count
// (earlier tests in this process may still have idle workers). The worker runs the built
// `dist/compaction/worker-entry.js` (build first).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import {
  LOW_PRIORITY_NICE,
  lowerThreadPriority,
  lowerThreadsStartedSince,
  threadIds,
} from '../src/compaction/thread-priority.js';
import { DB, type DBOptions } from '../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Nice value of every thread of this process, by thread id. */
function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name in parentheses: state is field 3, nice field 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      nices.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return nices;
}

/** Opens a database, makes the worker write one flush, and returns the nice values of new threads. */
async function newThreadNices(options: DBOptions): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-priority-'));
  dirs.push(dir);
  const before = threadNices();
  const db = await DB.open(dir, { compactionThread: 'worker', ...options });
  const threads: string[] = [];
  db.on('flush', (e) => threads.push(e.thread));
  await db.put('key', 'value');
  await db.flush();
  expect(threads).toEqual(['worker']);
  const after = threadNices();
  await db.close();
  return [...after].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
}

describe.runIf(process.platform === 'linux')('compaction worker priority (Linux)', () => {
  const base = getPriority();

  it("'low' (the default) starts the worker LOW_PRIORITY_NICE steps below the process", async () => {
    const nices = await newThreadNices({});
    expect(nices).toContain(Math.min(19, base + LOW_PRIORITY_NICE));
  });

  it("'normal' starts no thread below the process's priority", async () => {
    const nices = await newThreadNices({ compactionThreadPriority: 'normal' });
    expect(nices.length).toBeGreaterThan(0);
    for (const nice of nices) expect(nice).toBe(base);
  });

  it('lowers a new thread before its script runs, and only when exactly one thread appeared', async () => {
    // The script reports its own nice value as its first act: what Node's bootstrap of it ran at.
    const script = `
      const { parentPort } = require('node:worker_threads');
      const stat = require('node:fs').readFileSync('/proc/thread-self/stat', 'utf8');
      parentPort.postMessage(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));`;
    const start = (): Worker => new Worker(script, { eval: true });
    const firstNice = (worker: Worker): Promise<number> =>
      new Promise((resolve) => worker.once('message', resolve));

    const before = threadIds();
    const lowered = start();
    expect(lowerThreadsStartedSince(before)).toBe(true);
    expect(await firstNice(lowered)).toBe(Math.min(19, base + LOW_PRIORITY_NICE));

    const beforeTwo = threadIds();
    const a = start();
    const b = start();
    expect(lowerThreadsStartedSince(beforeTwo)).toBe(false);
    expect(await Promise.all([firstNice(a), firstNice(b)])).toEqual([base, base]);
    await Promise.all([lowered.terminate(), a.terminate(), b.terminate()]);
  });

  it('never lowers the main thread', () => {
    expect(lowerThreadPriority()).toBe(false);
    expect(getPriority()).toBe(base);
  });
});

describe('compactionThreadPriority option', () => {
  it('rejects an unknown value with INVALID_ARGUMENT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'velocity-priority-'));
    dirs.push(dir);
    await expect(
      DB.open(dir, { compactionThreadPriority: 'high' as unknown as 'low' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
