/**
 * A filter policy builds a small summary of a set of keys (a "filter") that answers "might this key be
 * in the set?" with no false negatives. Tables store one filter per table (or per block range) and
 * consult it before reading data blocks. The policy's `name` is persisted in each table so a reader
 * can tell whether it understands the stored filter.
 */
export interface FilterPolicy {
  /** Persisted identifier, for example `velocity.BuiltinBloomFilter2`. */
  readonly name: string;
  /** Builds a filter for `keys` (duplicates allowed, any order). */
  createFilter(keys: readonly Uint8Array[]): Uint8Array;
  /**
   * True if `key` may be in the set the filter was built from; false only if it certainly is not.
   * A malformed filter must answer true (never a false negative), not throw.
   */
  keyMayMatch(key: Uint8Array, filter: Uint8Array): boolean;
  /**
   * Optional: a builder that takes the keys one at a time, for writers that produce keys in a stream
   * (a table builder). Its filter must equal `createFilter` of the same keys.
   */
  newBuilder?(): FilterBuilder;
}

/**
 * Builds one filter from keys added one at a time, keeping less than the keys themselves (the
 * built-in Bloom builder keeps a 32-bit hash per key), so that the work is spread over the adds.
 */
export interface FilterBuilder {
  /** Adds a key; the builder does not keep a reference to `key`. */
  add(key: Uint8Array): void;
  /** Number of keys added since the last `finish`. */
  readonly count: number;
  /** The filter of the keys added (as `createFilter` of them), and an empty builder again. */
  finish(): Uint8Array;
}
