/**
 * The page's end of the shared-memory path for `get` (layout in `shared-gets.ts`): the key goes into
 * the shared buffer, the worker answers in it, and the page learns of the answer through
 * `Atomics.waitAsync`, without a `postMessage` either way.
 * @module
 */
import type { Key } from '@velocity/db';
import {
  BELL,
  BY_MESSAGE,
  DATA,
  FOUND,
  KEY_LENGTH,
  POSTED,
  REPLY,
  REQUEST,
  SERVING,
  SHARED_BYTES,
  STATUS,
  VALUE_LENGTH,
} from '../shared-gets.js';

const encoder = new TextEncoder();

/** What a shared request came back with: a value (or undefined), or "the answer comes by message". */
export type SharedAnswer = { value: Uint8Array | undefined } | 'by-message';

/** The page's side of the shared buffer. */
export class SharedGetsClient {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly scratch = new Uint8Array(SHARED_BYTES - DATA);

  /** A fresh buffer, to be sent to the worker with the `open` message. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(SHARED_BYTES)) {
    this.words = new Int32Array(buffer, 0, DATA / 4);
    this.bytes = new Uint8Array(buffer);
  }

  /**
   * Writes the request `id` for `key` and wakes the worker; false (nothing sent) when the key cannot
   * go this way (not a string or bytes, empty, a detached array, or longer than the buffer), or
   * when `id` does not fit an Int32.
   */
  send(id: number, key: Key): boolean {
    if (id > 0x7fffffff) return false; // ids cross the buffer as Int32s (after 2^31 calls: messages)
    const room = this.bytes.subarray(DATA);
    let length: number;
    if (typeof key === 'string') {
      // encodeInto refuses shared memory: encode into a private scratch array, then copy
      const { read, written } = encoder.encodeInto(key, this.scratch);
      if (read !== key.length) return false;
      room.set(this.scratch.subarray(0, written));
      length = written;
    } else if (key instanceof Uint8Array && key.byteLength > 0 && key.byteLength <= room.length) {
      room.set(key);
      length = key.byteLength;
    } else return false;
    if (length === 0) return false; // the worker's message path reports what is wrong with it
    Atomics.store(this.words, KEY_LENGTH, length);
    Atomics.store(this.words, REQUEST, id);
    this.ring();
    return true;
  }

  /** Waits for the worker to answer request `id`. */
  async answer(id: number): Promise<SharedAnswer> {
    for (;;) {
      const seen = Atomics.load(this.words, REPLY);
      if (seen === id) break;
      const wait = Atomics.waitAsync(this.words, REPLY, seen);
      if (wait.async) await wait.value;
    }
    const status = Atomics.load(this.words, STATUS);
    if (status === BY_MESSAGE) return 'by-message';
    if (status !== FOUND) return { value: undefined };
    const length = Atomics.load(this.words, VALUE_LENGTH);
    return { value: this.bytes.slice(DATA, DATA + length) };
  }

  /**
   * Tells a worker serving shared requests that a message was posted, so it returns to its event loop.
   * The bell is rung only while it serves (a worker in its event loop gets the message anyway); with
   * sequentially consistent atomics, either this sees `SERVING` set or the worker sees `POSTED` moved.
   */
  posted(): void {
    Atomics.add(this.words, POSTED, 1);
    if (Atomics.load(this.words, SERVING) === 1) this.ring();
  }

  private ring(): void {
    Atomics.add(this.words, BELL, 1);
    Atomics.notify(this.words, BELL);
  }
}
