import { compareBytes } from './bytes.js';

/**
 * A total order over keys. Its `name` is persisted in every table and manifest, so opening data with a
 * differently named comparator fails instead of returning wrong answers. Change the name whenever the
 * order changes.
 */
export interface Comparator {
  /** Persisted identifier of this order, for example `velocity.BytewiseComparator`. */
  readonly name: string;
  /** Negative if `a < b`, zero if equal, positive if `a > b`. Must be a consistent total order. */
  compare(a: Uint8Array, b: Uint8Array): number;
  /**
   * Returns a short key `k` with `start <= k < limit` (REQUIRES: `start < limit`), used for index block
   * separators. Returning `start` itself is always correct; shorter is better.
   */
  findShortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array;
  /** Returns a short key `k >= key`, used after the last block of a table. Returning `key` is correct. */
  findShortSuccessor(key: Uint8Array): Uint8Array;
}

/** Orders keys as unsigned bytes (memcmp), shorter prefix first. The default comparator. */
export const bytewiseComparator: Comparator = {
  name: 'velocity.BytewiseComparator',
  compare: compareBytes,
  findShortestSeparator(start, limit) {
    const n = Math.min(start.length, limit.length);
    let i = 0;
    while (i < n && start[i] === limit[i]) i++;
    if (i >= n) return start; // one is a prefix of the other
    const byte = start[i];
    if (byte < 0xff && byte + 1 < limit[i]) {
      const out = start.slice(0, i + 1);
      out[i] = byte + 1;
      return out;
    }
    return start;
  },
  findShortSuccessor(key) {
    for (let i = 0; i < key.length; i++) {
      if (key[i] !== 0xff) {
        const out = key.slice(0, i + 1);
        out[i] = key[i] + 1;
        return out;
      }
    }
    return key; // all 0xff: no shorter successor
  },
};
