/**
 * The page's end of the shared-memory path for lone `get`s, `put`s and `delete`s (layout in
 * `shared-calls.ts`): the key (and a put's value) goes into the shared buffer, the worker answers in
 * it, and the page learns of the answer through
 * `Atomics.waitAsync`, without a `postMessage` either way.
 * @module
 */
import type { Key, Value } from '@velocity/db';
import {
  BELL,
  BY_MESSAGE,
  DATA,
  DEL,
  FOUND,
  GET,
  KEY_LENGTH,
  OP,
  POSTED,
  PUT,
  PUT_LENGTH,
  REPLY,
  REQUEST,
  SERVING,
  SHARED_BYTES,
  STATUS,
  SYNC,
  SYNC_DEFAULT,
  SYNC_OFF,
  SpinBackoff,
  SPIN_US,
  SYNC_ON,
  VALUE_LENGTH,
  WAITING,
} from '../shared-calls.js';

const encoder = new TextEncoder();

/** Default of {@link SharedCallsClient.spinMs}: 100 µs. */
export const SPIN_MS = 0.1;
/** Default of {@link SharedCallsClient.writeSpinMs}: 500 µs. */
export const WRITE_SPIN_MS = 0.5;

/** What a shared request came back with: a value (or undefined), or "the answer comes by message". */
export type SharedAnswer = { value: Uint8Array | undefined } | 'by-message';

/** The page's side of the shared buffer. */
export class SharedCallsClient {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly scratch = new Uint8Array(SHARED_BYTES - DATA);

  /** A fresh buffer, to be sent to the worker with the `open` message. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(SHARED_BYTES)) {
    this.words = new Int32Array(buffer, 0, DATA / 4);
    this.bytes = new Uint8Array(buffer);
    this.spinMs = SPIN_MS;
  }

  /**
   * How long {@link SharedCallsClient.answer} spins on the reply word before it waits with
   * `Atomics.waitAsync`, in ms (0: never). Setting it also sets how long the worker spins for the
   * next request after an answer before it blocks in `Atomics.wait` (`SPIN_US`: the page's bound
   * times 2/3, or 0): an answer caught by spinning resolves the call in a microtask, and the next
   * call reaches a worker that is still spinning, so neither thread goes through a futex wake-up.
   * The page spins only while the worker is in its serving loop, and after spins that missed
   * (the worker busy, or both threads sharing one core) it backs off ({@link SpinBackoff}: 1, 3,
   * 7, … up to {@link SPIN_BACKOFF} requests without spinning); the worker backs off the same way.
   */
  get spinMs(): number {
    return this.spinBound;
  }
  set spinMs(ms: number) {
    this.spinBound = ms;
    Atomics.store(this.words, SPIN_US, ms > 0 ? Math.round((ms * 2000) / 3) : 0);
  }
  private spinBound = 0;

  /**
   * How long {@link SharedCallsClient.answer} spins for the answer to a put or deletion, in ms, when
   * {@link SharedCallsClient.spinMs} is not 0: longer than for a get, since the worker answers a
   * write once the engine committed it, which includes the log's `write()` to OPFS (40–100 µs, and
   * now and then a few hundred, on the benchmark's machine). The page spins only while the worker
   * is on the request: it stops as soon as the worker leaves its serving loop (`SERVING` cleared,
   * when the engine must wait to commit the write), without backing off.
   */
  writeSpinMs = WRITE_SPIN_MS;
  /** True while the outstanding request is a write (see {@link SharedCallsClient.writeSpinMs}). */
  private writing = false;

  /**
   * Writes the get request `id` for `key` and wakes the worker; false (nothing sent) when the key
   * cannot go this way (not a string or bytes, empty, a detached array, or longer than the buffer),
   * or when `id` does not fit an Int32.
   */
  send(id: number, key: Key): boolean {
    if (id > 0x7fffffff) return false; // ids cross the buffer as Int32s (after 2^31 calls: messages)
    const length = this.place(key, DATA);
    if (length < 0) return false; // the worker's message path reports what is wrong with it
    Atomics.store(this.words, OP, GET);
    Atomics.store(this.words, KEY_LENGTH, length);
    this.writing = false;
    Atomics.store(this.words, REQUEST, id);
    this.ring();
    return true;
  }

  /**
   * Writes the put (with `value`) or deletion (without) request `id` and wakes the worker; false
   * (nothing sent) when the key or value cannot go this way, as for {@link SharedCallsClient.send}
   * (an empty value included: it goes by message).
   */
  sendWrite(id: number, key: Key, value: Value | undefined, sync: boolean | undefined): boolean {
    if (id > 0x7fffffff) return false;
    const length = this.place(key, DATA);
    if (length < 0) return false;
    const valueLength = value === undefined ? 0 : this.place(value, DATA + length);
    if (valueLength < 0) return false;
    Atomics.store(this.words, OP, value === undefined ? DEL : PUT);
    Atomics.store(this.words, SYNC, sync === undefined ? SYNC_DEFAULT : sync ? SYNC_ON : SYNC_OFF);
    Atomics.store(this.words, KEY_LENGTH, length);
    Atomics.store(this.words, PUT_LENGTH, valueLength);
    this.writing = true;
    Atomics.store(this.words, REQUEST, id);
    this.ring();
    return true;
  }

  /**
   * Copies `data` to byte `at`; its length, or -1 when it is empty (a detached array reads as empty),
   * does not fit, or is neither text nor bytes.
   */
  private place(data: Key | Value, at: number): number {
    const room = this.bytes.subarray(at);
    let length: number;
    if (typeof data === 'string') {
      // encodeInto refuses shared memory: encode into a private scratch array, then copy
      const { read, written } = encoder.encodeInto(data, this.scratch);
      if (read !== data.length || written > room.length) return -1;
      room.set(this.scratch.subarray(0, written));
      length = written;
    } else if (data instanceof Uint8Array && data.byteLength <= room.length) {
      room.set(data);
      length = data.byteLength;
    } else return -1;
    return length === 0 ? -1 : length;
  }

  /**
   * Counts of how answers were awaited: `spun` (the answer came while the page spun on the reply
   * word), `missed` (it spun for {@link SharedCallsClient.spinMs} in vain, then waited), `left` (it
   * stopped spinning because the worker left its serving loop, then waited) and `waited` (it waited
   * with `Atomics.waitAsync` at once: spinning off, backing off, or the worker not serving).
   */
  readonly spins = { spun: 0, missed: 0, left: 0, waited: 0 };
  /** When the page spins for an answer (see {@link SpinBackoff}). */
  private readonly backoff = new SpinBackoff();
  /** The most requests the page waits for without spinning after spins that missed (see {@link SpinBackoff}). */
  get spinBackoff(): number {
    return this.backoff.limit;
  }
  set spinBackoff(requests: number) {
    this.backoff.limit = requests;
  }

  /**
   * Waits for the worker to answer request `id`. Before it waits with `Atomics.waitAsync` it sets
   * `WAITING` to `id`, then reads `REPLY` again; the worker stores `REPLY`, then notifies only if it
   * reads `WAITING` set. With sequentially consistent atomics, either the page sees the answer or the
   * worker sees the flag, so no answer goes unnoticed, and an answer caught by spinning costs the
   * worker no `Atomics.notify`.
   */
  async answer(id: number): Promise<SharedAnswer> {
    const words = this.words;
    if (this.spinMs > 0 && Atomics.load(words, SERVING) === 1 && this.backoff.take()) {
      const until = performance.now() + (this.writing ? this.writeSpinMs : this.spinMs);
      while (
        Atomics.load(words, REPLY) !== id &&
        Atomics.load(words, SERVING) === 1 &&
        performance.now() < until
      ) {}
      if (Atomics.load(words, REPLY) === id) {
        this.spins.spun++;
        this.backoff.spun(true);
      } else if (Atomics.load(words, SERVING) === 0) this.spins.left++;
      else {
        this.spins.missed++;
        this.backoff.spun(false); // the worker is slow to answer (busy, or sharing a core with us)
      }
    } else this.spins.waited++;
    if (Atomics.load(words, REPLY) !== id) {
      Atomics.store(words, WAITING, id);
      for (;;) {
        const seen = Atomics.load(words, REPLY);
        if (seen === id) break;
        const wait = Atomics.waitAsync(words, REPLY, seen);
        if (wait.async) await wait.value;
      }
      // Only if no later request waits: an answer that came by message (a large value, an error)
      // can settle the call, and let the next shared request start, before this wait wakes.
      Atomics.compareExchange(words, WAITING, id, 0);
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
