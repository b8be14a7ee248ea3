// V8's helper threads' priority (`helperThreadPriority`): on Linux the default `'low'` runs Node's V8
// platform threads 10 nice steps lower (at most 19) while a handle is open and gives them their priority back when the last
// one closes; `'normal'` leaves them alone; the main thread is never touched.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { helperNice, holdLowHelperPriority, v8HelperThreads } from '../src/helper-threads.js';
import { DB } from '../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-helpers-'));
  dirs.push(dir);
  return dir;
}

function nices(tids: number[]): number[] {
  return tids.map((tid) => getPriority(tid));
}

describe.runIf(process.platform === 'linux')("V8's helper threads (Linux)", () => {
  const base = getPriority();

  it('finds the five platform threads (4 workers and the delayed-task thread), never the main thread', () => {
    const helpers = v8HelperThreads();
    expect(helpers).toHaveLength(5);
    expect(new Set(helpers).size).toBe(5);
    expect(helpers).not.toContain(process.pid);
    const live = new Set(readdirSync('/proc/self/task').map(Number));
    for (const tid of helpers) expect(live.has(tid)).toBe(true);
  });

  it('lowers them while held, until the last holder releases, and restores what they had', () => {
    const helpers = v8HelperThreads();
    const before = nices(helpers);
    const first = holdLowHelperPriority();
    const second = holdLowHelperPriority();
    expect(nices(helpers)).toEqual(before.map(helperNice));
    first();
    first(); // idempotent: does not give back the second holder's hold
    expect(nices(helpers)).toEqual(before.map(helperNice));
    second();
    expect(nices(helpers)).toEqual(before);
    expect(getPriority()).toBe(base);
  });

  it("an open database holds them at 'low' by default and gives them back at close", async () => {
    const helpers = v8HelperThreads();
    const before = nices(helpers);
    const db = await DB.open(freshDir());
    expect(nices(helpers)).toEqual(before.map(helperNice));
    expect(getPriority()).toBe(base);
    await db.put('k', 'v');
    await db.close();
    expect(nices(helpers)).toEqual(before);
  });

  it("'normal' leaves them alone", async () => {
    const helpers = v8HelperThreads();
    const before = nices(helpers);
    const db = await DB.open(freshDir(), { helperThreadPriority: 'normal' });
    expect(nices(helpers)).toEqual(before);
    await db.close();
    expect(nices(helpers)).toEqual(before);
  });
});

describe('helperThreadPriority option', () => {
  it('rejects an unknown value with INVALID_ARGUMENT', async () => {
    await expect(
      DB.open(freshDir(), { helperThreadPriority: 'high' as unknown as 'low' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
