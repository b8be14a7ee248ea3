// The merge worker in headless Chromium: merges and flush builds in the second worker write the same
// table files as on the database worker's thread, and the database reopens with all of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, haveChromium, startSession } from './harness/browser.js';
import type { Run } from './pages/merge-worker-page.js';

describe.runIf(haveChromium)('the merge worker in Chromium', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await startSession({
      page: 'test/pages/page.ts',
      'merge-worker-page': 'test/pages/merge-worker-page.ts',
      'merge-worker': 'src/merge-worker.ts',
    });
  }, 120_000);
  afterAll(() => session?.close());

  it('writes the same tables as a merge on the database thread, and they reopen', async () => {
    const errors: string[] = [];
    const page = await session.open(errors);
    const out = (await page.evaluate(() =>
      (globalThis as unknown as { runWorker(n: string): Promise<unknown> }).runWorker('merge-worker-page'),
    )) as { result?: { inWorker: Run; onThread: Run }; error?: string };
    expect(out.error).toBeUndefined();
    const { inWorker, onThread } = out.result!;
    expect(inWorker.flushThreads).toEqual(['worker', 'worker', 'worker']);
    expect(onThread.flushThreads).toEqual(['main', 'main', 'main']);
    expect(inWorker.compactionThreads).toContain('worker');
    expect(inWorker.compactionThreads).not.toContain('main');
    expect(inWorker.jobs!.merges).toBe(inWorker.compactionThreads.length);
    expect(inWorker.jobs!.flushes).toBe(3);
    expect(inWorker.tables.length).toBeGreaterThan(8); // more outputs than lent at first: top-ups
    expect(inWorker.tables).toEqual(onThread.tables); // names, sizes and checksums
    expect(inWorker.scan).toEqual(onThread.scan);
    expect(inWorker.scan.count).toBeGreaterThan(10_000);
    expect(inWorker.files).toEqual(onThread.files);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
