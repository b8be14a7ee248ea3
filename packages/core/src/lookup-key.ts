/**
 * The key a point lookup searches with: a user key and the sequence it reads at, with the internal
 * key `(user key, sequence, KIND_FOR_SEEK)` that tables seek to. Because internal keys order newest
 * first, the first entry at or after the internal key is the newest version visible at the sequence.
 * @module
 */
import { KIND_FOR_SEEK, TRAILER_SIZE, encodeTrailer } from './internal-key.js';

/**
 * A reusable lookup key (LevelDB's `LookupKey`). {@link LookupKey.set} re-uses one buffer, and the
 * same internal-key view while keys keep their length, so a loop of gets allocates nothing here.
 */
export class LookupKey {
  private buffer: Uint8Array;
  private view: Uint8Array;
  private key: Uint8Array = new Uint8Array(0);
  private seq = 0;

  /** A lookup key with room for user keys of `capacity - 8` bytes before it grows. */
  constructor(capacity = 64) {
    this.buffer = new Uint8Array(Math.max(capacity, TRAILER_SIZE));
    this.view = this.buffer.subarray(0, 0);
  }

  /** Points the lookup at `userKey` read at `sequence`; returns `this`. `userKey` is not copied. */
  set(userKey: Uint8Array, sequence: number): this {
    const n = userKey.length + TRAILER_SIZE;
    if (this.buffer.length < n) this.buffer = new Uint8Array(Math.max(n, this.buffer.length * 2));
    this.buffer.set(userKey, 0);
    encodeTrailer(this.buffer, userKey.length, sequence, KIND_FOR_SEEK);
    if (this.view.length !== n || this.view.buffer !== this.buffer.buffer)
      this.view = this.buffer.subarray(0, n);
    this.key = userKey;
    this.seq = sequence;
    return this;
  }

  /** The user key last set (the caller's array, not a copy). */
  get userKey(): Uint8Array {
    return this.key;
  }

  /** The sequence the lookup reads at. */
  get sequence(): number {
    return this.seq;
  }

  /** The internal key to seek to: the user key, then the trailer of (sequence, KIND_FOR_SEEK). */
  get internalKey(): Uint8Array {
    return this.view;
  }
}
