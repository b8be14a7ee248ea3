// Group commit (write-queue.ts) against a recording fake of the engine: which writes share a log
// record, when a group is fsynced, how failures and stalls reach the writers.
import { VelocityError } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { readBatchHeader } from '../src/batch-buffer.js';
import { LoopYield } from '../src/loop-yield.js';
import { WriteQueue, type WriteTarget } from '../src/write-queue.js';

interface Commit {
  sequence: number;
  count: number;
  sync: boolean;
}

/** Steps of the pipelined path, in the order they happened. */
type Step = ['append', number] | ['fsync'] | ['apply', number];

/** A fake engine that records every commit; `failNext` makes the next commit throw. */
class RecordingTarget implements WriteTarget {
  readonly commits: Commit[] = [];
  readonly loop = new LoopYield(1);
  /** Set to test the pipelined path; fsyncs then wait for `finishFsync()`. */
  pipelinedSync = false;
  readonly steps: Step[] = [];
  private fsyncs: { resolve(): void; reject(e: unknown): void }[] = [];
  lastSequence = 0;
  error: VelocityError | undefined;
  failNext = false;
  /** While false, makeRoomForWrite says "wait"; waitForRoom resolves when `room()` is called. */
  hasRoom = true;
  private waiters: (() => void)[] = [];

  writeError(): VelocityError | undefined {
    return this.error;
  }
  makeRoomForWrite(): boolean {
    return this.hasRoom;
  }
  waitForRoom(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  room(): void {
    this.hasRoom = true;
    for (const w of this.waiters.splice(0)) w();
  }
  appendBatch(data: Uint8Array): void {
    this.steps.push(['append', readBatchHeader(data).sequence]);
  }
  syncLog(): Promise<void> {
    this.steps.push(['fsync']);
    return new Promise((resolve, reject) => this.fsyncs.push({ resolve, reject }));
  }
  /** Settles the oldest pending fsync (fails it when `error` is given). */
  finishFsync(error?: VelocityError): void {
    const f = this.fsyncs.shift()!;
    if (error) f.reject(error);
    else f.resolve();
  }
  get pendingFsyncs(): number {
    return this.fsyncs.length;
  }
  applyBatch(_data: Uint8Array, sequence: number, count: number): void {
    this.steps.push(['apply', sequence]);
    this.commits.push({ sequence, count, sync: true });
    this.lastSequence = sequence + count - 1;
  }
  commitBatch(data: Uint8Array, sequence: number, count: number, sync: boolean): void {
    if (this.failNext) {
      this.failNext = false;
      throw new VelocityError('IO_ERROR', 'injected');
    }
    expect(readBatchHeader(data)).toEqual({ sequence, count });
    this.commits.push({ sequence, count, sync });
    this.lastSequence = sequence + count - 1;
  }
}

describe('WriteQueue (group commit)', () => {
  it('commits the writes of one tick as one record, and fsyncs it once when any write asked', async () => {
    const target = new RecordingTarget();
    const queue = new WriteQueue(target);
    await Promise.all([
      queue.put('a', '1', false),
      queue.del('b', true),
      queue.batch((b) => {
        b.put('c', '3');
        b.put('d', '4');
      }, false),
    ]);
    expect(target.commits).toEqual([{ sequence: 1, count: 4, sync: true }]);
    await queue.put('e', '5', false);
    expect(target.commits[1]).toEqual({ sequence: 5, count: 1, sync: false });
  });

  it('does not answer a writer before its group was committed', async () => {
    const target = new RecordingTarget();
    const queue = new WriteQueue(target);
    let answered = false;
    const write = queue.put('a', '1', true).then(() => {
      answered = true;
      expect(target.commits.length).toBe(1);
    });
    expect(answered).toBe(false);
    await write;
    expect(answered).toBe(true);
  });

  it('rejects every writer of a group whose commit failed, and only that group', async () => {
    const target = new RecordingTarget();
    const queue = new WriteQueue(target);
    target.failNext = true;
    const results = await Promise.allSettled([queue.put('a', '1', false), queue.put('b', '2', false)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(((results[0] as PromiseRejectedResult).reason as VelocityError).code).toBe('IO_ERROR');
    await queue.put('c', '3', false);
    expect(target.commits).toEqual([{ sequence: 1, count: 1, sync: false }]);
  });

  it('a malformed batch rejects alone and leaves the other writes of its group intact', async () => {
    const target = new RecordingTarget();
    const queue = new WriteQueue(target);
    const good = queue.put('a', '1', false);
    const bad = queue.batch((b) => {
      b.put('x', 'y');
      throw new Error('caller mistake');
    }, false);
    await expect(bad).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await good;
    expect(target.commits).toEqual([{ sequence: 1, count: 1, sync: false }]);
  });

  it('holds writes while the engine has no room; later writes join the waiting group', async () => {
    const target = new RecordingTarget();
    target.hasRoom = false;
    const queue = new WriteQueue(target);
    const first = queue.put('a', '1', false);
    await Promise.resolve();
    const second = queue.put('b', '2', false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(target.commits).toEqual([]);
    expect(queue.idle).toBe(false);
    target.room();
    await Promise.all([first, second]);
    expect(target.commits).toEqual([{ sequence: 1, count: 2, sync: false }]);
    await queue.whenIdle();
    expect(queue.idle).toBe(true);
  });

  it('fails every queued write with the engine error once writes are refused', async () => {
    const target = new RecordingTarget();
    target.error = new VelocityError('READ_ONLY', 'failed earlier');
    const queue = new WriteQueue(target);
    const results = await Promise.allSettled([queue.put('a', '1', false), queue.del('b', false)]);
    expect(results.map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['READ_ONLY', 'READ_ONLY']);
    expect(target.commits).toEqual([]);
  });

  describe('pipelined fsync', () => {
    const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

    it('answers a synced group only after its fsync, and gathers the next group meanwhile', async () => {
      const target = new RecordingTarget();
      target.pipelinedSync = true;
      const queue = new WriteQueue(target);
      let firstDone = false;
      const first = queue.put('a', '1', true).then(() => {
        firstDone = true;
      });
      await tick();
      expect(target.steps).toEqual([['append', 1], ['fsync']]);
      expect(firstDone).toBe(false);
      expect(queue.idle).toBe(false);
      // Writes made while the fsync runs wait, in one group, and are not applied before the first.
      const later = [queue.put('b', '2', true), queue.put('c', '3', false), queue.del('d', true)];
      await tick();
      expect(target.commits).toEqual([]);
      target.finishFsync();
      await first;
      expect(firstDone).toBe(true);
      await tick();
      expect(target.steps).toEqual([['append', 1], ['fsync'], ['apply', 1], ['append', 2], ['fsync']]);
      target.finishFsync();
      await Promise.all(later);
      expect(target.commits).toEqual([
        { sequence: 1, count: 1, sync: true },
        { sequence: 2, count: 3, sync: true },
      ]);
      await queue.whenIdle();
      expect(queue.idle).toBe(true);
    });

    it('a failed fsync rejects its group and applies nothing of it', async () => {
      const target = new RecordingTarget();
      target.pipelinedSync = true;
      const queue = new WriteQueue(target);
      const write = queue.put('a', '1', true);
      await tick();
      target.error = new VelocityError('READ_ONLY', 'after the failed fsync');
      const queued = queue.put('b', '2', false);
      target.finishFsync(new VelocityError('IO_ERROR', 'fdatasync failed'));
      await expect(write).rejects.toMatchObject({ code: 'IO_ERROR' });
      await expect(queued).rejects.toMatchObject({ code: 'READ_ONLY' });
      expect(target.commits).toEqual([]);
      expect(target.steps.some((s) => s[0] === 'apply')).toBe(false);
    });

    it('unsynced groups still commit at once when no fsync is in flight', async () => {
      const target = new RecordingTarget();
      target.pipelinedSync = true;
      const queue = new WriteQueue(target);
      await queue.put('a', '1', false);
      expect(target.pendingFsyncs).toBe(0);
      expect(target.commits).toEqual([{ sequence: 1, count: 1, sync: false }]);
    });
  });
});
