// fileSystemSuite from @velocity/testkit, run against OpfsFileSystem inside a dedicated worker of
// headless Chromium, plus what only a real OPFS can show: a pool reopened after its worker is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, haveChromium, startSession } from './harness/browser.js';

describe.runIf(haveChromium)('OpfsFileSystem in Chromium', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await startSession({
      page: 'test/pages/page.ts',
      'conformance-worker': 'test/pages/conformance-worker.ts',
      'flusher-worker': 'test/pages/flusher-worker.ts',
    });
  }, 120_000);
  afterAll(() => session?.close());

  it('passes the file-system conformance suite in a worker', async () => {
    const errors: string[] = [];
    const page = await session.open(errors);
    const out = (await page.evaluate(() =>
      (globalThis as unknown as { runWorker(n: string): Promise<unknown> }).runWorker('conformance-worker'),
    )) as { results?: { name: string; error?: string }[]; error?: string };
    expect(out.error).toBeUndefined();
    const failed = out.results!.filter((r) => r.error !== undefined);
    expect(failed).toEqual([]);
    expect(out.results!.length).toBeGreaterThanOrEqual(6); // every test of the suite ran
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('runs the flushes of syncAsync in the helper worker, and they cover what was written', async () => {
    const errors: string[] = [];
    const page = await session.open(errors);
    const out = (await page.evaluate(() =>
      (globalThis as unknown as { runWorker(n: string): Promise<unknown> }).runWorker('flusher-worker'),
    )) as { result?: unknown; error?: string };
    expect(out.error).toBeUndefined();
    expect(out.result).toEqual({
      counts: { helper: 15, here: 0 },
      sizes: [5000, 5000, 5000],
      last: 5,
      noSyncAsync: true,
    });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
