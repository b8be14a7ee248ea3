// OpfsMergeWorker's bookkeeping against a fake merge worker (Node): jobs get the input slots and lent
// slots, top-ups are answered, every answer takes the lent slots back, failures arrive as VelocityErrors
// with their codes, a worker that cannot start or open handles makes the engine fall back, a worker that
// fails later fails its jobs with IO_ERROR, and close() rejects running jobs with CLOSED.
import { VelocityError } from '@velocity/core';
import {
  OutOfFileNumbersError,
  type WorkerJob,
  WorkerUnavailableError,
} from '@velocity/db/compaction-worker';
import { describe, expect, it } from 'vitest';
import { type MergeWorkerPort, OpfsMergeWorker, type SlotLender } from '../src/merge/merge-host.js';
import type { FromMergeWorker, Lending, ToMergeWorker } from '../src/merge/merge-protocol.js';

class FakePort implements MergeWorkerPort {
  sent: ToMergeWorker[] = [];
  terminated = false;
  onmessage: ((event: { data: FromMergeWorker }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  postMessage(message: ToMergeWorker): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(data: FromMergeWorker): void {
    this.onmessage?.({ data });
  }
  /** The id of the last job message sent. */
  get lastJob(): number {
    const jobs = this.sent.filter((m) => m.type === 'merge' || m.type === 'flush');
    return (jobs[jobs.length - 1] as { id: number }).id;
  }
}

class FakeLender implements SlotLender {
  next = 100;
  lentOut: string[] = [];
  takenBack: string[] = [];
  shared = true;
  slotName(path: string): string | undefined {
    return this.shared ? `slot-of:${path}` : undefined;
  }
  async lend(count: number): Promise<Lending> {
    const slots = Array.from({ length: count }, () => {
      const name = `slot-${this.next}`;
      this.lentOut.push(name);
      return { name, generation: this.next++ };
    });
    return { slots, room: null };
  }
  takeBack(names: readonly string[]): void {
    this.takenBack.push(...names);
  }
}

const fields = (id: number, size: number) => ({
  id,
  size,
  smallest: new Uint8Array([1]),
  largest: new Uint8Array([2]),
  smallestSequence: 1,
  largestSequence: 2,
  entries: 10,
  tombstones: 0,
});

function job(): WorkerJob {
  return {
    dir: '/db',
    inputs: [
      { level: 0, files: [fields(7, 3_000_000)] },
      { level: 1, files: [fields(5, 1_000_000)] },
    ],
    snapshots: [],
    bottommost: true,
    targetFileSize: 2 * 1024 * 1024,
    outputNumbers: [10, 11, 12, 13, 14, 15, 16, 17],
    blockSize: 4096,
    blockRestartInterval: 16,
    compression: 0,
    bloomBitsPerKey: 10,
    now: 0,
  };
}

const result = {
  outputs: [fields(10, 2_000_000)],
  bytesRead: 4_000_000,
  bytesWritten: 2_000_000,
  entriesDropped: 0,
};

function setup() {
  const port = new FakePort();
  const lender = new FakeLender();
  const worker = new OpfsMergeWorker(lender, 'velocity/db', () => port);
  return { port, lender, worker };
}

/** Lets the host's awaits (the lender's promises) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('OpfsMergeWorker', () => {
  it('sends the input slots and lent slots, answers top-ups, and takes every lent slot back', async () => {
    const { port, lender, worker } = setup();
    const running = worker.run(job());
    await settle();
    expect(port.sent[0]).toEqual({ type: 'init', directory: ['velocity', 'db'] });
    const sent = port.sent[1] as Extract<ToMergeWorker, { type: 'merge' }>;
    expect(sent.inputs).toEqual({
      '/db/000007.sst': 'slot-of:/db/000007.sst',
      '/db/000005.sst': 'slot-of:/db/000005.sst',
    });
    expect(sent.lending.slots.map((s) => s.name)).toEqual(['slot-100', 'slot-101', 'slot-102']); // 4 MB / 2 MiB + 1
    port.answer({ type: 'more', id: sent.id });
    await settle();
    const topUp = port.sent[2] as Extract<ToMergeWorker, { type: 'lent' }>;
    expect(topUp).toMatchObject({ type: 'lent', id: sent.id });
    expect(topUp.lending.slots).toHaveLength(4);
    expect(lender.takenBack).toEqual([]);
    port.answer({ type: 'merged', id: sent.id, result });
    await expect(running).resolves.toEqual(result);
    expect(lender.takenBack.sort()).toEqual(lender.lentOut.sort());
    expect(worker.counts).toEqual({ merges: 1, flushes: 0 });
  });

  it('surfaces a failed job as a VelocityError with its code and errno, and takes its slots back', async () => {
    const { port, lender, worker } = setup();
    const running = worker.run(job());
    await settle();
    port.answer({
      type: 'failed',
      id: port.lastJob,
      error: { code: 'IO_ERROR', message: 'storage quota exceeded', errno: 'ENOSPC', path: '/db/000010.sst' },
    });
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VelocityError);
    expect(error).toMatchObject({ code: 'IO_ERROR', errno: 'ENOSPC', path: '/db/000010.sst' });
    expect(lender.takenBack.sort()).toEqual(lender.lentOut.sort());
    // The next job still runs in the worker.
    const flush = worker.flush({
      dir: '/db',
      number: 20,
      data: new Uint8Array(8),
      bounds: new Uint32Array(2),
      count: 1,
      ranges: [],
      blockSize: 4096,
      blockRestartInterval: 16,
      compression: 0,
      bloomBitsPerKey: null,
    });
    await settle();
    port.answer({ type: 'flushed', id: port.lastJob, file: fields(20, 100) });
    await expect(flush).resolves.toEqual(fields(20, 100));
  });

  it('turns a job that ran out of slots into OutOfFileNumbersError (the engine then merges itself)', async () => {
    const { port, worker } = setup();
    const running = worker.run(job());
    await settle();
    port.answer({
      type: 'failed',
      id: port.lastJob,
      error: { code: 'IO_ERROR', message: 'no lent slot left', outOfNumbers: true },
    });
    await expect(running).rejects.toBeInstanceOf(OutOfFileNumbersError);
  });

  it('falls back when the worker cannot open handles, or cannot start, or the pool is not shared', async () => {
    const a = setup();
    const running = a.worker.run(job());
    await settle();
    a.port.answer({
      type: 'failed',
      id: a.port.lastJob,
      error: { code: 'IO_ERROR', message: 'cannot open slot-1' },
      unavailable: true,
    });
    await expect(running).rejects.toBeInstanceOf(WorkerUnavailableError);
    await expect(a.worker.run(job())).rejects.toBeInstanceOf(WorkerUnavailableError); // and stays so

    const b = setup();
    const starting = b.worker.run(job());
    await settle();
    b.port.onerror?.({ message: 'merge-worker.js: 404' });
    await expect(starting).rejects.toBeInstanceOf(WorkerUnavailableError);
    expect(b.port.terminated).toBe(true);
    expect(b.lender.takenBack).toEqual([]); // a worker that may have written is not trusted with them

    const c = setup();
    c.lender.shared = false;
    await expect(c.worker.run(job())).rejects.toBeInstanceOf(WorkerUnavailableError);
  });

  it('fails jobs with IO_ERROR when the worker fails after it had answered', async () => {
    const { port, worker } = setup();
    const first = worker.run(job());
    await settle();
    port.answer({ type: 'merged', id: port.lastJob, result });
    await first;
    const second = worker.run(job());
    await settle();
    port.onerror?.({ message: 'out of memory' });
    const error = await second.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(WorkerUnavailableError);
    expect(error).toMatchObject({ code: 'IO_ERROR' });
    await expect(worker.run(job())).rejects.toMatchObject({ code: 'IO_ERROR' });
  });

  it('rejects running jobs with CLOSED at close, and later ones too', async () => {
    const { port, lender, worker } = setup();
    const running = worker.run(job());
    await settle();
    await worker.close();
    await expect(running).rejects.toMatchObject({ code: 'CLOSED' });
    expect(port.terminated).toBe(true);
    expect(lender.takenBack).toEqual([]);
    await expect(worker.run(job())).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
