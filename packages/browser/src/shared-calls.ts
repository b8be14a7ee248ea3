/**
 * The layout of the `SharedArrayBuffer` through which a cross-origin-isolated page asks the database
 * worker for one value, or has it make one put or deletion, at a time without `postMessage` (see
 * `client/shared-calls-client.ts` and `worker/shared-calls-server.ts`). One request is in flight at a
 * time; the page uses it only when no other call is outstanding, so a read through it sees every
 * write acknowledged before it, and a write through it is ordered after every call made before it.
 *
 * | Int32 word | written by | meaning |
 * |---|---|---|
 * | 0 `REQUEST` | page | id of the latest request (the call's id; calls past 2^31 go by message) |
 * | 1 `REPLY` | worker | id of the latest answered request; the page waits on it (`Atomics.waitAsync`) |
 * | 2 `BELL` | page | bumped, then notified, for every request (and a posted message while `SERVING`): the worker waits on it |
 * | 3 `POSTED` | page | count of `requests` messages posted, so a worker serving requests here knows to go back to its event loop |
 * | 4 `KEY_LENGTH` | page | bytes of the request's key at `DATA` |
 * | 5 `STATUS` | worker | `ABSENT`, `FOUND` (value at `DATA`) or `BY_MESSAGE` (the answer travels as an ordinary reply) |
 * | 6 `VALUE_LENGTH` | worker | bytes of the value at `DATA` |
 * | 7 `SERVING` | worker | 1 while it serves in a loop that blocks between requests, a write's commit included: only then does a posted message need the bell, and only then does the page spin |
 * | 8 `OP` | page | what the request is: `GET`, `PUT` or `DEL` |
 * | 9 `SYNC` | page | a write's `sync` option: `SYNC_DEFAULT`, `SYNC_ON` or `SYNC_OFF` |
 * | 10 `PUT_LENGTH` | page | bytes of a put's value, after its key |
 * | 11 `SPIN_US` | page | how long the worker spins for the next request after an answer before it blocks, in µs (0: never) |
 * | 12 `WAITING` | page | the id of the request it waits for with `Atomics.waitAsync` (0: none): only then does an answer need `Atomics.notify` |
 *
 * Bytes from `DATA` (64) on hold the key of a request (and a put's value right after it), then the
 * value of a get's answer.
 * @module
 */

export const REQUEST = 0;
export const REPLY = 1;
export const BELL = 2;
export const POSTED = 3;
export const KEY_LENGTH = 4;
export const STATUS = 5;
export const VALUE_LENGTH = 6;
export const SERVING = 7;
export const OP = 8;
export const SYNC = 9;
export const PUT_LENGTH = 10;
export const SPIN_US = 11;
export const WAITING = 12;

/** The most requests (or waits, on the worker) without spinning after spins that missed. */
export const SPIN_BACKOFF = 64;

/**
 * When to spin, for either side: after the n-th spin in a row that missed, the next 2^n - 1
 * chances go without spinning, up to `limit`; a spin that caught what it waited for starts over.
 * So one late answer or request (an OPFS `write()` that took a millisecond, a pause of the page)
 * costs a chance or two, and a side that stays slow (busy, or sharing a core with the other) one
 * wasted spin in `limit`.
 */
export class SpinBackoff {
  private skip = 0;
  private streak = 0;

  /** `limit`: the longest back-off, in chances (see {@link SPIN_BACKOFF}). */
  constructor(public limit = SPIN_BACKOFF) {}

  /** True when this chance should spin (false while backing off, counting the chance). */
  take(): boolean {
    if (this.skip === 0) return true;
    this.skip--;
    return false;
  }

  /** Reports how the spin went. */
  spun(caught: boolean): void {
    if (caught) this.streak = 0;
    else {
      this.streak = Math.min(this.streak + 1, 30);
      this.skip = Math.min(this.limit, 2 ** this.streak - 1);
    }
  }
}

/** Byte offset of the key or value. */
export const DATA = 64;
/** Bytes of the buffer: values up to 64 KiB fit, larger ones travel by message. */
export const SHARED_BYTES = DATA + 64 * 1024;

export const ABSENT = 0;
export const FOUND = 1;
export const BY_MESSAGE = 2;

export const GET = 0;
export const PUT = 1;
export const DEL = 2;

export const SYNC_DEFAULT = 0;
export const SYNC_ON = 1;
export const SYNC_OFF = 2;

/** True when this context may share memory with a worker (a cross-origin-isolated page in Chromium). */
export function canShareMemory(): boolean {
  return (
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true &&
    typeof SharedArrayBuffer === 'function' &&
    typeof (Atomics as { waitAsync?: unknown }).waitAsync === 'function'
  );
}
