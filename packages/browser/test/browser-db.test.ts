// openBrowserDB in headless Chromium: persistence across a reload, a worker killed mid-stream, one
// writer across tabs, unsupported browsers, a full quota, and a model-based run against a sorted Map.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, haveChromium, startSession } from './harness/browser.js';

type Scenarios = typeof import('./pages/db-page.js');

/** Calls `scenarios[fn](...args)` in the page. */
function inPage<K extends keyof Scenarios>(
  page: Page,
  fn: K,
  ...args: Parameters<Scenarios[K]>
): Promise<Awaited<ReturnType<Scenarios[K]>>> {
  return page.evaluate(
    ([f, a]) =>
      (globalThis as unknown as { scenarios: Record<string, (...x: unknown[]) => unknown> }).scenarios[f](
        ...a,
      ),
    [fn, args] as [string, unknown[]],
  ) as Promise<Awaited<ReturnType<Scenarios[K]>>>;
}

/** Writes 10,000 keys, reloads the page with the database left open, reads them all back. */
async function keepsKeysAcrossReload(session: BrowserSession, errors: string[]): Promise<void> {
  const page = await session.open(errors);
  await inPage(page, 'writeKeys', 'reload', 10_000); // left open: the reload ends the worker
  await page.reload();
  await page.waitForFunction(() => (globalThis as { ready?: boolean }).ready === true);
  const { bad, scanned } = await inPage(page, 'readKeys', 'reload', 10_000);
  expect(bad).toEqual([]);
  expect(scanned).toBe(10_000);
  await page.close();
}

/** Terminates the worker in the middle of a stream of puts; the reopened state is a prefix of it. */
async function keepsPrefixWhenTerminated(session: BrowserSession, errors: string[]): Promise<void> {
  const page = await session.open(errors);
  const { present, syncedAcked, issued } = await inPage(page, 'terminateMidStream', 'kill', 300);
  expect(syncedAcked.length).toBeGreaterThan(0); // the stream was running when it was cut
  expect(present.length).toBeLessThanOrEqual(issued);
  expect(present).toEqual(present.map((_, i) => i)); // a prefix of the stream
  expect(present.length).toBeGreaterThan(Math.max(...syncedAcked));
  console.log(`[browser] terminated after ${issued} issued puts: ${present.length} survived`);
  await page.close();
}

describe.runIf(haveChromium)('openBrowserDB in Chromium', () => {
  let session: BrowserSession;
  const errors: string[] = [];
  beforeAll(async () => {
    session = await startSession({
      page: 'test/pages/page.ts',
      worker: 'src/worker.ts',
      'merge-worker': 'src/merge-worker.ts',
    });
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    expect(errors).toEqual([]);
  });

  it('keeps 10,000 keys across a page reload', () => keepsKeysAcrossReload(session, errors));

  it('keeps a prefix with every acknowledged sync write when the worker is terminated mid-stream', () =>
    keepsPrefixWhenTerminated(session, errors));

  it('keeps every acknowledged sync write when the worker is terminated in the middle of merges in the merge worker', async () => {
    const page = await session.open(errors);
    const { present, syncedAcked, issued, workerJobs } = await inPage(
      page,
      'terminateMidStream',
      'kill-merging',
      2500,
      64 * 1024,
    );
    expect(workerJobs).toBeGreaterThan(2); // flushes and merges were running in the merge worker
    expect(present).toEqual(present.map((_, i) => i)); // a prefix of the stream
    expect(present.length).toBeGreaterThan(Math.max(...syncedAcked));
    expect(present.length).toBeLessThanOrEqual(issued);
    console.log(
      `[browser] terminated while merging after ${issued} puts, ${workerJobs} merge-worker jobs: ${present.length} survived`,
    );
    await page.close();
  });

  it('lets one tab at a time open a database: LOCKED, then success after close', async () => {
    const first = await session.open(errors);
    const second = await session.open(errors);
    expect(await inPage(first, 'holdOpen', 'shared')).toBe('ok');
    expect(await inPage(second, 'holdOpen', 'shared')).toBe('LOCKED');
    expect(await inPage(first, 'holdOpen', 'shared')).toBe('LOCKED'); // the same tab too
    await inPage(first, 'closeHeld');
    expect(await inPage(second, 'holdOpen', 'shared')).toBe('ok');
    await inPage(second, 'closeHeld');
    await first.close();
    await second.close();
  });

  it('frees the database when the tab holding it is closed', async () => {
    const first = await session.open(errors);
    expect(await inPage(first, 'holdOpen', 'tab-gone')).toBe('ok');
    await first.close();
    const second = await session.open(errors);
    expect(await inPage(second, 'holdOpen', 'tab-gone', 5000)).toBe('ok');
    await inPage(second, 'closeHeld');
    await second.close();
  });

  it('deletes a closed database, and refuses to delete an open one', async () => {
    const page = await session.open(errors);
    expect(await inPage(page, 'deleteScenario', 'doomed')).toEqual({
      whileOpen: 'LOCKED',
      afterDelete: null,
    });
    await page.close();
  });

  it('rejects with NOT_SUPPORTED without Workers', async () => {
    const page = await session.open(errors);
    expect(await inPage(page, 'openWithoutWorkers')).toBe('NOT_SUPPORTED');
    await page.close();
  });

  it('turns a full quota into a typed error, goes read-only and loses nothing acknowledged', async () => {
    const page = await session.open(errors);
    const result = await inPage(page, 'fillQuota', 'quota', 1024 * 1024);
    expect(result.acked).toBeGreaterThan(100);
    // The write that hits the quota fails with ENOSPC; when a background flush hits it first, writes
    // fail with READ_ONLY and the ENOSPC arrives as an `error` event.
    if (result.firstError === 'IO_ERROR') expect(result.errno).toBe('ENOSPC');
    else expect(result.firstError).toBe('READ_ONLY');
    expect(result.errorEvents).toContain('ENOSPC');
    expect(result.afterwards).toBe('READ_ONLY');
    expect(result.lost).toEqual([]);
    await page.close();
  });

  it('agrees with a sorted map on random operations (model-based, with reopens)', async () => {
    const page = await session.open(errors);
    const applied = await page.evaluate(() =>
      (globalThis as unknown as { modelRun(n: number, seed: number): Promise<number> }).modelRun(20, 17),
    );
    expect(applied).toBeGreaterThanOrEqual(20 * 20);
    await page.close();
  }, 120_000);
});

describe.runIf(haveChromium)(
  'openBrowserDB on a cross-origin-isolated page (lone gets and writes through shared memory)',
  () => {
    let session: BrowserSession;
    const errors: string[] = [];
    beforeAll(async () => {
      session = await startSession(
        { page: 'test/pages/page.ts', worker: 'src/worker.ts', 'merge-worker': 'src/merge-worker.ts' },
        { isolated: true },
      );
    }, 120_000);
    afterAll(async () => {
      await session?.close();
      expect(errors).toEqual([]);
    });

    it('answers lone and concurrent gets, large values, bad keys and a closed database', async () => {
      const page = await session.open(errors);
      expect(await inPage(page, 'sharedMemoryGets', 'shared-gets')).toEqual({
        isolated: true,
        together: ['apple', null, 'bbbbb', 'apple'],
        lone: ['apple', null, true],
        badKey: 'INVALID_ARGUMENT',
        afterBadKey: 'apple',
        closed: 'CLOSED',
      });
      await page.close();
    });

    it('keeps 10,000 keys across a page reload', () => keepsKeysAcrossReload(session, errors));

    it('keeps a prefix with every acknowledged sync write when the worker is terminated mid-stream, with puts through shared memory', () =>
      keepsPrefixWhenTerminated(session, errors));

    it('agrees with a sorted map on random operations, with gets and puts through shared memory', async () => {
      const page = await session.open(errors);
      const applied = await page.evaluate(() =>
        (
          globalThis as unknown as { modelRun(n: number, seed: number, shared: boolean): Promise<number> }
        ).modelRun(15, 23, true),
      );
      expect(applied).toBeGreaterThanOrEqual(15 * 20);
      await page.close();
    }, 120_000);
  },
);
