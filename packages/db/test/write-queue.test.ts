// Group commit (write-queue.ts) against a recording fake of the engine: which writes share a log
// record, when a group is fsynced, how failures and stalls reach the writers.
import { VelocityError } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { readBatchHeader } from '../src/batch-buffer.js';
import { WriteQueue, type WriteTarget } from '../src/write-queue.js';

interface Commit {
  sequence: number;
  count: number;
  sync: boolean;
}

/** A fake engine that records every commit; `failNext` makes the next commit throw. */
class RecordingTarget implements WriteTarget {
  readonly commits: Commit[] = [];
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
});
