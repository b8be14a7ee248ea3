/**
 * The worker's end of the shared-memory path for lone `get`s, `put`s and `delete`s (layout in
 * `shared-calls.ts`). While requests
 * keep coming it serves them in a loop that blocks in `Atomics.wait` between them (no event-loop
 * task per request, which is what makes the path fast), for at most {@link HOT_MS} at a time and
 * {@link LINGER_MS} without a request; then, and at once when the page posted a message, it returns
 * to the event loop and waits with `Atomics.waitAsync`, so messages, timers and the engine's
 * background work run as usual.
 * @module
 */
import type { WriteOptions } from '@velocity/db';
import type { Reply } from '../protocol.js';
import {
  ABSENT,
  BELL,
  BY_MESSAGE,
  DATA,
  DEL,
  FOUND,
  GET,
  KEY_LENGTH,
  OP,
  POSTED,
  PUT_LENGTH,
  REPLY,
  REQUEST,
  SERVING,
  SpinBackoff,
  SPIN_US,
  STATUS,
  SYNC,
  SYNC_DEFAULT,
  SYNC_ON,
  VALUE_LENGTH,
  WAITING,
} from '../shared-calls.js';
import { toWireError } from '../wire-error.js';

/** Longest run of requests served without a turn of the worker's event loop, in ms. */
export const HOT_MS = 4;
/** How long the serving loop waits for the next request before it returns to the event loop, in ms. */
export const LINGER_MS = 1;

/** What the server needs of the database. */
export interface SharedTarget {
  getSync(key: Uint8Array): Uint8Array | undefined;
  put(key: Uint8Array, value: Uint8Array, options: WriteOptions): Promise<void>;
  delete(key: Uint8Array, options: WriteOptions): Promise<void>;
  /** A snapshot, for its `sequence`: that of the last write the engine applied (after its log write). */
  snapshot(): { readonly sequence: number; release(): void };
}

/** A settled promise: a reaction on it is a microtask, queued behind the engine's commit. */
const SETTLED = Promise.resolve();

/** What {@link SharedCallsServer.poll} found: nothing, a request it answered, or a write under way. */
type Polled = 'none' | 'answered' | 'writing';

/** The worker's side of the shared buffer. */
export class SharedCallsServer {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private served: number;
  private received = 0;
  private stopped = false;
  private readonly yielder = new MessageChannel();
  /** Start of the current run of served requests (see {@link HOT_MS}). */
  private hotSince = 0;
  /** When the loop spins for the next request (see {@link SharedCallsServer.spinFor}). */
  private readonly backoff = new SpinBackoff();
  /**
   * The write taken from the buffer and not yet committed, if any: the calls of a message that
   * arrives meanwhile wait for it, as they would for a write of their own message.
   */
  pendingWrite: Promise<void> | undefined;

  /** `send` posts an ordinary reply (errors, and values too large for the buffer). */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly db: SharedTarget,
    private readonly send: (reply: Reply) => void,
  ) {
    this.words = new Int32Array(buffer, 0, DATA / 4);
    this.bytes = new Uint8Array(buffer);
    this.served = Atomics.load(this.words, REQUEST);
    this.yielder.port1.onmessage = () => this.listen();
  }

  /** Starts waiting for requests. */
  start(): void {
    this.listen();
  }

  /** Stops serving (after the database closed). */
  stop(): void {
    this.stopped = true;
    this.yielder.port1.close();
  }

  /**
   * Call first thing for every `requests` message: answers a shared request made before the message
   * was posted, so the message's calls run after it, in the page's order.
   */
  beforeMessage(): void {
    this.received++;
    this.poll();
  }

  /**
   * Takes the pending request, if any: a get is answered at once; a put or deletion is handed to the
   * engine (`'writing'`) and answered when it committed, which takes a turn of the microtask queue.
   */
  private poll(): Polled {
    const id = Atomics.load(this.words, REQUEST);
    if (id === this.served || this.stopped) return 'none';
    this.served = id;
    const length = Atomics.load(this.words, KEY_LENGTH);
    const key = this.bytes.slice(DATA, DATA + length);
    const op = Atomics.load(this.words, OP);
    if (op !== GET) {
      this.write(id, op, key, length);
      return 'writing';
    }
    let status = ABSENT;
    try {
      const value = this.db.getSync(key);
      if (value === undefined) status = ABSENT;
      else if (value.byteLength <= this.bytes.length - DATA) {
        this.bytes.set(value, DATA);
        Atomics.store(this.words, VALUE_LENGTH, value.byteLength);
        status = FOUND;
      } else {
        this.send({ id, ok: true, value: value.slice() });
        status = BY_MESSAGE;
      }
    } catch (error) {
      this.send({ id, ok: false, error: toWireError(error) });
      status = BY_MESSAGE;
    }
    this.reply(id, status);
    return 'answered';
  }

  private reply(id: number, status: number): void {
    Atomics.store(this.words, STATUS, status);
    Atomics.store(this.words, REPLY, id);
    // only a page waiting with waitAsync needs waking (see SharedCallsClient.answer for the race)
    if (Atomics.load(this.words, WAITING) !== 0) Atomics.notify(this.words, REPLY);
  }

  /**
   * Starts the write of request `id`; answers it and goes on serving once the engine committed it.
   * The engine commits a lone write in the microtask it queues with it (its log bytes written to
   * OPFS, then the memtable and the sequence number), but may settle the write's promise through a
   * timer (its `LoopYield`, which lets a host's event loop turn during a long run of awaited calls;
   * this loop gives the event loop its turns itself, every {@link HOT_MS}), so the next microtask
   * looks at the sequence number: past the one before the write, the write is committed and is
   * answered there. Nothing else writes meanwhile: the page sends a write this way only when none of
   * its calls is outstanding. Otherwise (the engine waiting for room, a synced write's flush, an
   * error) the promise answers.
   */
  private write(id: number, op: number, key: Uint8Array, keyLength: number): void {
    const sync = Atomics.load(this.words, SYNC);
    const options: WriteOptions = sync === SYNC_DEFAULT ? {} : { sync: sync === SYNC_ON };
    const before = this.sequence();
    let done: Promise<void>;
    if (op === DEL) done = this.db.delete(key, options);
    else {
      const start = DATA + keyLength;
      const value = this.bytes.slice(start, start + Atomics.load(this.words, PUT_LENGTH));
      done = this.db.put(key, value, options);
    }
    let settle!: () => void;
    const written = new Promise<void>((resolve) => (settle = resolve));
    let answered = false;
    const answer = (status: number) => {
      if (answered) return;
      answered = true;
      this.reply(id, status);
      if (this.pendingWrite === written) this.pendingWrite = undefined;
      settle();
      this.serveHot(); // the run of served requests goes on (within its time limit)
    };
    this.pendingWrite = written;
    SETTLED.then(() => {
      if (answered) return;
      if (before >= 0 && this.sequence() > before) answer(ABSENT);
      else Atomics.store(this.words, SERVING, 0); // it waits: the page stops spinning
    });
    done.then(
      () => answer(ABSENT),
      (error: unknown) => {
        if (!answered) this.send({ id, ok: false, error: toWireError(error) });
        answer(BY_MESSAGE);
      },
    );
  }

  /** The sequence number of the last write the engine applied, or -1 (closed). */
  private sequence(): number {
    try {
      const snapshot = this.db.snapshot();
      snapshot.release();
      return snapshot.sequence;
    } catch {
      return -1;
    }
  }

  /**
   * Spins up to `SPIN_US` for the bell to move past `bell` (the page's next request, when it caught
   * the answer by spinning too); true if it did. After spins that missed it backs off
   * ({@link SpinBackoff}).
   */
  private spinFor(bell: number): boolean {
    const us = Atomics.load(this.words, SPIN_US);
    if (us <= 0 || !this.backoff.take()) return false;
    const until = performance.now() + us / 1000;
    while (Atomics.load(this.words, BELL) === bell && performance.now() < until) {}
    const caught = Atomics.load(this.words, BELL) !== bell;
    this.backoff.spun(caught);
    return caught;
  }

  /** Event-loop mode: serve what is pending, else wait for the bell without blocking. */
  private listen(): void {
    if (this.stopped) return;
    const bell = Atomics.load(this.words, BELL);
    this.hotSince = performance.now(); // a request found here starts a run
    const polled = this.poll();
    if (polled === 'answered') this.serveHot();
    if (polled !== 'none') return; // a write goes on serving once it committed
    const wait = Atomics.waitAsync(this.words, BELL, bell);
    if (wait.async) wait.value.then(() => this.listen());
    else this.listen();
  }

  /**
   * Serving mode: answer requests as they come, blocking between them, within the limits above (the
   * run started at `hotSince`; a write leaves the loop for its commit and comes back to the same run).
   */
  private serveHot(): void {
    if (this.stopped) return;
    const start = this.hotSince;
    Atomics.store(this.words, SERVING, 1);
    for (;;) {
      // The bell first: a ring after this read makes the wait below return at once, and the page
      // moves POSTED or REQUEST before it rings, so a ring before it shows in the checks.
      const bell = Atomics.load(this.words, BELL);
      if (Atomics.load(this.words, POSTED) !== this.received) break; // messages wait: go and run them
      if (performance.now() - start >= HOT_MS) {
        Atomics.store(this.words, SERVING, 0);
        this.yielder.port2.postMessage(null); // one turn of the event loop, then listen()
        return;
      }
      const polled = this.poll();
      if (polled === 'answered') continue;
      // The engine commits a write in a microtask: leave the loop, still SERVING (see write()).
      if (polled === 'writing') return;
      if (this.spinFor(bell)) continue;
      if (Atomics.wait(this.words, BELL, bell, LINGER_MS) === 'timed-out') break;
    }
    Atomics.store(this.words, SERVING, 0);
    this.listen();
  }
}
