/**
 * The worker's end of the shared-memory path for `get` (layout in `shared-gets.ts`). While requests
 * keep coming it serves them in a loop that blocks in `Atomics.wait` between them (no event-loop
 * task per request, which is what makes the path fast), for at most {@link HOT_MS} at a time and
 * {@link LINGER_MS} without a request; then, and at once when the page posted a message, it returns
 * to the event loop and waits with `Atomics.waitAsync`, so messages, timers and the engine's
 * background work run as usual.
 * @module
 */
import type { Reply } from '../protocol.js';
import {
  ABSENT,
  BELL,
  BY_MESSAGE,
  DATA,
  FOUND,
  KEY_LENGTH,
  POSTED,
  REPLY,
  REQUEST,
  SERVING,
  STATUS,
  VALUE_LENGTH,
} from '../shared-gets.js';
import { toWireError } from '../wire-error.js';

/** Longest run of requests served without a turn of the worker's event loop, in ms. */
export const HOT_MS = 4;
/** How long the serving loop waits for the next request before it returns to the event loop, in ms. */
export const LINGER_MS = 1;

/** What the server needs of the database. */
export interface SyncReader {
  getSync(key: Uint8Array): Uint8Array | undefined;
}

/** The worker's side of the shared buffer. */
export class SharedGetsServer {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private served: number;
  private received = 0;
  private stopped = false;
  private readonly yielder = new MessageChannel();

  /** `send` posts an ordinary reply (errors, and values too large for the buffer). */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly db: SyncReader,
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

  /** Answers the pending request, if any; true when there was one. */
  private poll(): boolean {
    const id = Atomics.load(this.words, REQUEST);
    if (id === this.served || this.stopped) return false;
    this.served = id;
    const length = Atomics.load(this.words, KEY_LENGTH);
    const key = this.bytes.slice(DATA, DATA + length);
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
    Atomics.store(this.words, STATUS, status);
    Atomics.store(this.words, REPLY, id);
    Atomics.notify(this.words, REPLY);
    return true;
  }

  /** Event-loop mode: serve what is pending, else wait for the bell without blocking. */
  private listen(): void {
    if (this.stopped) return;
    const bell = Atomics.load(this.words, BELL);
    if (this.poll()) {
      this.serveHot();
      return;
    }
    const wait = Atomics.waitAsync(this.words, BELL, bell);
    if (wait.async) wait.value.then(() => this.listen());
    else this.listen();
  }

  /** Serving mode: answer requests as they come, blocking between them, within the limits above. */
  private serveHot(): void {
    const start = performance.now();
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
      if (this.poll()) continue;
      if (Atomics.wait(this.words, BELL, bell, LINGER_MS) === 'timed-out') break;
    }
    Atomics.store(this.words, SERVING, 0);
    this.listen();
  }
}
