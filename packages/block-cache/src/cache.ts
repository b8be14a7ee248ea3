/** Counters of a cache. */
export interface CacheStats {
  /** Lookups that found their entry. */
  hits: number;
  /** Lookups that did not. */
  misses: number;
  /** Entries removed to make room. */
  evictions: number;
  /** Sum of the charges of the entries held now. */
  bytesUsed: number;
  /** Number of entries held now. */
  entries: number;
  /** The capacity in bytes. */
  capacity: number;
}

/** Options of the caches in this package. */
export interface CacheOptions<K, V> {
  /** The byte bound: the most the charges of the held entries may add up to. */
  capacity: number;
  /**
   * Called with each entry after it left the cache: evicted to make room, deleted, replaced by a
   * `set` of the same key with another value, or cleared. Not called for a value that was refused
   * (its charge exceeds the capacity). The table reader uses it to recycle the memory of blocks.
   */
  onEvict?: (key: K, value: V) => void;
}

/**
 * A cache bounded by total charge (bytes). After any call returns, the sum of charges of held entries
 * never exceeds `capacity`. An entry whose charge alone exceeds the capacity is not stored.
 * Keys compare with `SameValueZero` (use numbers or strings).
 */
export interface Cache<K, V> {
  /** Persisted nowhere; shown in stats, for example `lru` or `s3-fifo`. */
  readonly name: string;
  /** The byte bound. */
  readonly capacity: number;
  /** The value for `key` if held (counts a hit or a miss). */
  get(key: K): V | undefined;
  /** Stores `value` under `key` with the given charge, replacing any previous entry for the key. */
  set(key: K, value: V, charge: number): void;
  /** Removes `key` if held. Returns whether it was. */
  delete(key: K): boolean;
  /** Removes everything (stats counters are kept). */
  clear(): void;
  /** A snapshot of the counters. */
  stats(): CacheStats;
}
