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
}
