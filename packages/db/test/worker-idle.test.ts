// The compaction worker thread stops after sitting idle (its isolate costs tens of MB of RSS) and the
// next job starts a new one.
import { describe, expect, it } from 'vitest';
import { createMergeWorker } from '../src/compaction/worker-host.js';
import { emptyWorkerJob } from './fixtures/worker-job.js';

const echo = new URL('./fixtures/echo-worker.mjs', import.meta.url);
const job = emptyWorkerJob;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the compaction worker thread', () => {
  it('stops after sitting idle, and the next job starts a new thread', async () => {
    const worker = createMergeWorker(false, { url: echo, idleStopMs: 100 });
    const threads = () => (worker as unknown as { starts: number }).starts;
    await worker.run(job);
    await worker.run(job);
    expect(threads()).toBe(1);
    await sleep(400);
    await worker.run(job);
    expect(threads()).toBe(2);
    await worker.close();
  });

  it('is not stopped while jobs keep coming within the idle time', async () => {
    const worker = createMergeWorker(false, { url: echo, idleStopMs: 300 });
    const threads = () => (worker as unknown as { starts: number }).starts;
    for (let i = 0; i < 6; i++) {
      await worker.run(job);
      await sleep(50);
    }
    expect(threads()).toBe(1);
    await worker.close();
  });
});
