// The shared-memory path, both ends on one Node thread: answers in the buffer, values too large for
// it and errors by ordinary reply, a request made before a message answered before it, and writes
// answered once the engine committed them.
import { VelocityError } from '@velocity/core';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SharedCallsClient } from '../src/client/shared-calls-client.js';
import type { Reply } from '../src/protocol.js';
import {
  BELL,
  DATA,
  FOUND,
  REPLY,
  REQUEST,
  SERVING,
  SHARED_BYTES,
  SPIN_US,
  STATUS,
  VALUE_LENGTH,
  WAITING,
} from '../src/shared-calls.js';
import { SharedCallsServer } from '../src/worker/shared-calls-server.js';

const text = new TextEncoder();

function pair(
  getSync: (key: Uint8Array) => Uint8Array | undefined,
  write: (call: string) => Promise<void> = async () => {},
  sequence: () => number = () => 0,
) {
  const client = new SharedCallsClient();
  const replies: Reply[] = [];
  const keys: string[] = [];
  const writes: string[] = [];
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const record = (call: string) => {
    writes.push(call);
    return write(call);
  };
  const server = new SharedCallsServer(
    client.buffer,
    {
      getSync(key) {
        keys.push(decode(key));
        return getSync(key);
      },
      put: (key, value, options) => record(`put ${decode(key)}=${decode(value)} ${JSON.stringify(options)}`),
      delete: (key, options) => record(`del ${decode(key)} ${JSON.stringify(options)}`),
      snapshot: () => ({ sequence: sequence(), release() {} }),
    },
    (reply) => replies.push(reply),
  );
  return { client, server, replies, keys, writes };
}

describe('shared-memory calls', () => {
  it('answers found and absent keys in the buffer', async () => {
    const { client, server } = pair((key) => (key[0] === 0x61 ? text.encode('apple') : undefined));
    server.start();
    expect(client.send(1, 'a')).toBe(true);
    const found = await client.answer(1);
    expect(found !== 'by-message' && new TextDecoder().decode(found.value)).toBe('apple');
    expect(client.send(2, new Uint8Array([0x62]))).toBe(true);
    expect(await client.answer(2)).toEqual({ value: undefined });
    server.stop();
  });

  it('sends values larger than the buffer and errors as ordinary replies', async () => {
    const big = new Uint8Array(SHARED_BYTES);
    const { client, server, replies } = pair((key) => {
      if (key[0] === 0x62) return big;
      throw new VelocityError('CORRUPTION', 'bad block');
    });
    server.start();
    client.send(1, 'b');
    expect(await client.answer(1)).toBe('by-message');
    client.send(2, 'c');
    expect(await client.answer(2)).toBe('by-message');
    expect(replies[0]).toMatchObject({ id: 1, ok: true });
    expect((replies[0] as { value: Uint8Array }).value.length).toBe(SHARED_BYTES);
    expect(replies[1]).toMatchObject({ id: 2, ok: false, error: { code: 'CORRUPTION' } });
    server.stop();
  });

  it('refuses keys that cannot go through the buffer', () => {
    const { client } = pair(() => undefined);
    expect(client.send(1, '')).toBe(false);
    expect(client.send(2, new Uint8Array(0))).toBe(false);
    expect(client.send(3, 'x'.repeat(SHARED_BYTES))).toBe(false);
    expect(client.send(4, 42 as unknown as string)).toBe(false);
    expect(client.send(2 ** 31, 'a')).toBe(false); // ids cross as Int32s
  });

  it('answers a pending request before the calls of a message posted after it', async () => {
    const { client, server, keys } = pair(() => undefined);
    client.send(7, 'first'); // the server has not started listening: only the message handler sees it
    client.posted();
    server.beforeMessage();
    expect(keys).toEqual(['first']);
    expect(await client.answer(7)).toEqual({ value: undefined });
    server.stop();
  });

  it('hands puts and deletions to the engine and answers once they committed', async () => {
    let commit = () => {};
    const { client, server, writes } = pair(
      () => undefined,
      () => new Promise<void>((resolve) => (commit = resolve)),
    );
    server.start();
    expect(client.sendWrite(1, 'k', new Uint8Array([0x76]), undefined)).toBe(true);
    const answer = client.answer(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(writes).toEqual(['put k=v {}']);
    expect(server.pendingWrite).toBeDefined(); // a message arriving now waits for it
    commit();
    expect(await answer).toEqual({ value: undefined });
    expect(client.sendWrite(2, new Uint8Array([0x6b]), undefined, true)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    commit();
    expect(await client.answer(2)).toEqual({ value: undefined });
    expect(writes[1]).toBe('del k {"sync":true}');
    server.stop();
  });

  it('answers a write as soon as the engine applied it, before its promise settles', async () => {
    // The engine commits in the microtask it queues with the write, but may settle the promise
    // through a timer (its LoopYield): the server answers on the sequence number instead.
    let sequence = 41;
    let settled = false;
    const { client, server, replies } = pair(
      () => undefined,
      () => {
        queueMicrotask(() => sequence++); // the group commit
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            settled = true;
            resolve();
          }, 50),
        );
      },
      () => sequence,
    );
    server.start();
    expect(client.sendWrite(1, 'k', 'v', undefined)).toBe(true);
    expect(await client.answer(1)).toEqual({ value: undefined });
    expect(settled).toBe(false);
    expect(server.pendingWrite).toBeUndefined(); // a message arriving now need not wait
    await new Promise((resolve) => setTimeout(resolve, 60)); // the late settlement answers nothing twice
    expect(replies).toEqual([]);
    expect(client.sendWrite(2, 'k', 'w', undefined)).toBe(true);
    expect(await client.answer(2)).toEqual({ value: undefined });
    expect(sequence).toBe(43);
    server.stop();
  });

  it('answers a write whose commit waits (no new sequence number) when its promise settles', async () => {
    let commit = () => {};
    const { client, server } = pair(
      () => undefined,
      () => new Promise<void>((resolve) => (commit = resolve)),
      () => 7, // nothing applied yet: waiting for room, or a synced write's flush
    );
    server.start();
    new Int32Array(client.buffer)[SERVING] = 1; // as if the request had come while it served
    client.sendWrite(1, 'k', 'v', true);
    const answer = client.answer(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(new Int32Array(client.buffer)[SERVING]).toBe(0); // left the loop: the page stops spinning
    commit();
    expect(await answer).toEqual({ value: undefined });
    server.stop();
  });

  it('sends a failed write as an ordinary reply, and refuses writes that cannot go through the buffer', async () => {
    const { client, server, replies } = pair(
      () => undefined,
      () => Promise.reject(new VelocityError('READ_ONLY', 'quota')),
    );
    server.start();
    client.sendWrite(1, 'k', 'v', false);
    expect(await client.answer(1)).toBe('by-message');
    expect(replies[0]).toMatchObject({ id: 1, ok: false, error: { code: 'READ_ONLY' } });
    expect(client.sendWrite(2, 'k', '', undefined)).toBe(false); // empty values go by message
    expect(client.sendWrite(3, 'k', 'x'.repeat(SHARED_BYTES), undefined)).toBe(false);
    expect(client.sendWrite(4, '', 'v', undefined)).toBe(false);
    server.stop();
  });

  // A stand-in for the database worker on a second thread (plain JS, the layout's words passed in):
  // it answers each get with its key reversed, at once when `serving`, after 30 ms otherwise, or
  // after a random `jitterUs` (up to it, busy-waiting); it notifies only when the page is WAITING,
  // as the real one does, and counts its notifies in the last word before DATA.
  async function stubWorker(buffer: SharedArrayBuffer, serving: boolean, jitterUs = 0): Promise<Worker> {
    const words = { BELL, DATA, FOUND, REPLY, REQUEST, SERVING, STATUS, VALUE_LENGTH, WAITING };
    const worker = new Worker(
      `const { parentPort, workerData: { buffer, serving, jitterUs, w } } = require('node:worker_threads');
      const words = new Int32Array(buffer, 0, w.DATA / 4), bytes = new Uint8Array(buffer);
      Atomics.store(words, w.SERVING, serving ? 1 : 0);
      let bell = Atomics.load(words, w.BELL);
      parentPort.postMessage('ready');
      for (;;) {
        Atomics.wait(words, w.BELL, bell);
        bell = Atomics.load(words, w.BELL);
        if (!serving) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
        const until = performance.now() + (Math.random() * jitterUs) / 1000;
        while (performance.now() < until) {}
        const id = Atomics.load(words, w.REQUEST), n = Atomics.load(words, 4); // KEY_LENGTH
        bytes.set(bytes.slice(w.DATA, w.DATA + n).reverse(), w.DATA);
        Atomics.store(words, w.VALUE_LENGTH, n);
        Atomics.store(words, w.STATUS, w.FOUND);
        Atomics.store(words, w.REPLY, id);
        if (Atomics.load(words, w.WAITING) !== 0) {
          Atomics.add(words, w.DATA / 4 - 1, 1);
          Atomics.notify(words, w.REPLY);
        }
      }`,
      { eval: true, workerData: { buffer, serving, jitterUs, w: words } },
    );
    await once(worker, 'message'); // it has read the bell: a ring from now on wakes it
    return worker;
  }

  it('catches the answer of a serving worker by spinning, with the right value', async () => {
    const client = new SharedCallsClient();
    client.spinMs = 50; // long, so a loaded test machine still answers within the spin
    const worker = await stubWorker(client.buffer, true);
    try {
      for (let id = 1; id <= 20; id++) {
        expect(client.send(id, `key-${id}`)).toBe(true);
        const answer = await client.answer(id);
        expect(answer !== 'by-message' && new TextDecoder().decode(answer.value)).toBe(
          [...`key-${id}`].reverse().join(''),
        );
      }
      expect(client.spins.spun).toBeGreaterThan(0);
      expect(client.spins.spun + client.spins.missed + client.spins.waited).toBe(20);
    } finally {
      await worker.terminate();
    }
  });

  it('waits with waitAsync for a worker that is not serving, and backs off from a slow one', async () => {
    const cold = new SharedCallsClient();
    const idle = await stubWorker(cold.buffer, false);
    const slow = new SharedCallsClient();
    slow.spinMs = 0.05;
    const busy = await stubWorker(slow.buffer, false);
    try {
      cold.send(1, 'ab');
      const answer = await cold.answer(1);
      expect(answer !== 'by-message' && new TextDecoder().decode(answer.value)).toBe('ba');
      expect(cold.spins).toEqual({ spun: 0, missed: 0, left: 0, waited: 1 }); // SERVING is 0: no spin
      new Int32Array(slow.buffer)[SERVING] = 1; // claims to serve, but answers after 30 ms
      for (let id = 1; id <= 6; id++) {
        slow.send(id, 'xyz');
        const reply = await slow.answer(id);
        expect(reply !== 'by-message' && new TextDecoder().decode(reply.value)).toBe('zyx');
      }
      // a miss, one request without spinning, a second miss, three without: the back-off doubles
      expect(slow.spins).toEqual({ spun: 0, missed: 2, left: 0, waited: 4 });
    } finally {
      await idle.terminate();
      await busy.terminate();
    }
  });

  it('catches every answer when the worker answers as the spin ends, and notifies only a waiting page', async () => {
    // The race of the notify that only a waiting page gets: the page's spin ends, it sets WAITING
    // and reads REPLY again; the worker stores REPLY and reads WAITING. Answers land all around the
    // end of a 20 µs spin; one lost would leave its await hanging (the test then times out).
    const client = new SharedCallsClient();
    client.spinMs = 0.02;
    client.writeSpinMs = 0.02;
    client.spinBackoff = 0; // spin on every request, so every one races
    const worker = await stubWorker(client.buffer, true, 40);
    try {
      const calls = 2000;
      for (let id = 1; id <= calls; id++) {
        client.send(id, 'ab');
        const answer = await client.answer(id);
        expect(answer !== 'by-message' && new TextDecoder().decode(answer.value)).toBe('ba');
      }
      const { spun, missed } = client.spins;
      expect(spun).toBeGreaterThan(0);
      expect(missed).toBeGreaterThan(0);
      const notifies = new Int32Array(client.buffer)[DATA / 4 - 1];
      expect(notifies).toBeLessThanOrEqual(calls - spun); // none for an answer caught spinning
      expect(new Int32Array(client.buffer)[WAITING]).toBe(0);
    } finally {
      await worker.terminate();
    }
  }, 20_000);

  it('keeps WAITING set for a later request when an earlier wait wakes late', async () => {
    // An answer by message (a large value, an error) settles the call, and the next shared request
    // may start, before the earlier wait wakes; that wait must not clear the later one's flag, or
    // the worker would not notify it (found by the model-based test in Chromium).
    const { client, server } = pair((key) => text.encode(`value of ${new TextDecoder().decode(key)}`));
    const words = new Int32Array(client.buffer);
    client.send(1, 'a');
    const stale = client.answer(1);
    client.send(2, 'b');
    const fresh = client.answer(2);
    expect(words[WAITING]).toBe(2);
    Atomics.store(words, REPLY, 1); // request 1's answer, noticed late
    Atomics.notify(words, REPLY);
    await stale;
    expect(words[WAITING]).toBe(2);
    server.start(); // answers request 2, and must notify
    const answer = await fresh;
    expect(answer !== 'by-message' && new TextDecoder().decode(answer.value)).toBe('value of b');
    expect(words[WAITING]).toBe(0);
    server.stop();
  });

  it("sets the worker's spin with its own, and none when it does not spin", () => {
    const client = new SharedCallsClient();
    const words = new Int32Array(client.buffer);
    expect(words[SPIN_US]).toBeGreaterThan(0);
    client.spinMs = 0;
    expect(words[SPIN_US]).toBe(0);
  });
});
