// The Flusher's bookkeeping against a fake helper worker (Node): answers resolve or reject the right
// flush, and whenever the helper cannot do a flush (no handle, failed, closed) it runs on this thread,
// so a flush never resolves without one.
import { afterEach, describe, expect, it } from 'vitest';
import { Flusher } from '../src/opfs/flusher.js';

type Reply = { id: number; error?: { name: string; message: string }; unable?: boolean };

/** A stand-in for the helper: records what it was sent; the test answers. */
class FakeWorker {
  static last: FakeWorker | undefined;
  sent: unknown[] = [];
  terminated = false;
  onmessage: ((event: { data: Reply }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeWorker.last = this;
  }
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(reply: Reply): void {
    this.onmessage?.({ data: reply });
  }
}

/** A slot that counts the flushes made on this thread. */
function target(name: string, fail?: Error) {
  return {
    name,
    here: 0,
    flush() {
      this.here++;
      if (fail !== undefined) throw fail;
    },
  };
}

const g = globalThis as { Worker?: unknown };
const original = g.Worker;
afterEach(() => {
  g.Worker = original;
});

function start(): { flusher: Flusher; worker: FakeWorker } {
  g.Worker = FakeWorker;
  const flusher = Flusher.start('velocity/pool-x');
  expect(flusher).toBeDefined();
  return { flusher: flusher as Flusher, worker: FakeWorker.last as FakeWorker };
}

describe('Flusher', () => {
  it('is undefined where no Worker can be started', () => {
    g.Worker = undefined;
    expect(Flusher.start('velocity/pool-x')).toBeUndefined();
  });

  it('sends the directory, then one request per flush, and resolves each on its answer', async () => {
    const { flusher, worker } = start();
    const a = target('slot-0001');
    const b = target('slot-0002');
    let doneA = false;
    const pa = flusher.flush(a, '/db/a').then(() => {
      doneA = true;
    });
    const pb = flusher.flush(b, '/db/b');
    expect(worker.sent).toEqual([
      { directory: ['velocity', 'pool-x'] },
      { id: 1, name: 'slot-0001' },
      { id: 2, name: 'slot-0002' },
    ]);
    worker.answer({ id: 2 });
    await pb;
    expect(doneA).toBe(false);
    worker.answer({ id: 1 });
    await pa;
    expect([a.here, b.here]).toEqual([0, 0]);
    expect(flusher.counts).toEqual({ helper: 2, here: 0 });
  });

  it('flushes here when the helper has no handle, and rejects with the helper flush error', async () => {
    const { flusher, worker } = start();
    const a = target('slot-0001');
    const unable = flusher.flush(a, '/db/a');
    worker.answer({ id: 1, unable: true });
    await unable;
    expect(a.here).toBe(1);
    const failed = flusher.flush(a, '/db/a');
    worker.answer({ id: 2, error: { name: 'QuotaExceededError', message: 'full' } });
    await expect(failed).rejects.toMatchObject({ code: 'IO_ERROR', errno: 'ENOSPC', path: '/db/a' });
    const broken = target('slot-0003', new Error('disk gone'));
    const here = flusher.flush(broken, '/db/c');
    worker.answer({ id: 3, unable: true });
    await expect(here).rejects.toThrow('disk gone');
    expect(flusher.counts).toEqual({ helper: 0, here: 2 });
  });

  it('after a helper error, runs pending and later flushes here', async () => {
    const { flusher, worker } = start();
    const a = target('slot-0001');
    const pending = flusher.flush(a, '/db/a');
    worker.onerror?.({});
    await pending;
    expect(a.here).toBe(1);
    await flusher.flush(a, '/db/a');
    expect(a.here).toBe(2);
    expect(worker.sent).toHaveLength(2); // the directory and the first request only
  });

  it('close() stops the helper and runs its pending flushes here; later flushes run here', async () => {
    const { flusher, worker } = start();
    const a = target('slot-0001');
    const pending = flusher.flush(a, '/db/a');
    flusher.close();
    expect(worker.terminated).toBe(true);
    await pending;
    expect(a.here).toBe(1);
    worker.answer({ id: 1 }); // a late answer changes nothing
    await flusher.flush(a, '/db/a');
    expect(a.here).toBe(2);
    expect(flusher.counts).toEqual({ helper: 0, here: 2 });
  });
});
