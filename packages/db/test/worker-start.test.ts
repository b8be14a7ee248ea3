// A compaction worker thread that cannot start: under compactionThread 'auto' the job is refused with
// WorkerUnavailableError (the runner then merges on the main thread, now and later); under 'worker'
// it is an IO_ERROR, which fails the database like any failed compaction.
import { isVelocityError } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { createMergeWorker } from '../src/compaction/worker-host.js';
import { WorkerUnavailableError } from '../src/compaction/worker-protocol.js';
import { emptyWorkerJob } from './fixtures/worker-job.js';

const failing = new URL('./fixtures/failing-worker.mjs', import.meta.url);
const job = emptyWorkerJob;

describe('a compaction worker that cannot start', () => {
  it("is reported as unavailable under 'auto', for this job and every later one", async () => {
    const worker = createMergeWorker(true, { url: failing });
    const first = await worker.run(job).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(WorkerUnavailableError);
    expect(String((first as Error).message)).toMatch(/could not start/);
    await expect(worker.run(job)).rejects.toBeInstanceOf(WorkerUnavailableError);
    // Flushes too: the engine then writes them on the main thread.
    const flush = {
      dir: '/nowhere',
      number: 1,
      data: new Uint8Array(0),
      bounds: new Uint32Array(1),
      count: 0,
      ranges: [],
    };
    await expect(worker.flush({ ...job, ...flush })).rejects.toBeInstanceOf(WorkerUnavailableError);
    await worker.close();
  });

  it("fails the job with IO_ERROR under 'worker'", async () => {
    const worker = createMergeWorker(false, { url: failing });
    const error = await worker.run(job).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(WorkerUnavailableError);
    expect(isVelocityError(error) && error.code).toBe('IO_ERROR');
    await worker.close();
  });
});
