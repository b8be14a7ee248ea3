import { invalidArgument } from '@velocity/core';
import type { Cache, CacheOptions, CacheStats } from './cache.js';

interface LruEntry<V> {
  value: V;
  charge: number;
}

/** Checks a capacity option. */
export function checkCapacity(capacity: number): void {
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 0) {
    throw invalidArgument(`cache capacity must be a non-negative integer, got ${String(capacity)}`);
  }
}

/** Checks a charge argument. */
export function checkCharge(charge: number): void {
  if (typeof charge !== 'number' || !Number.isFinite(charge) || charge < 0) {
    throw invalidArgument(`cache charge must be a non-negative number, got ${String(charge)}`);
  }
}

/**
 * Least-recently-used eviction, bounded by total charge. A `Map` keeps entries in recency order
 * (deleting and re-inserting moves an entry to the end), so every operation is O(1).
 *
 * @example
 * ```ts
 * import { LruCache } from '@velocity/block-cache';
 * const cache = new LruCache<string, Uint8Array>({ capacity: 1 << 20 });
 * cache.set('a', new Uint8Array(1000), 1000);
 * cache.get('a');
 * ```
 */
export class LruCache<K, V> implements Cache<K, V> {
  readonly name = 'lru';
  readonly capacity: number;
  private readonly entries = new Map<K, LruEntry<V>>();
  private used = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private readonly onEvict: ((key: K, value: V) => void) | undefined;

  constructor(options: CacheOptions<K, V>) {
    checkCapacity(options?.capacity);
    this.capacity = options.capacity;
    this.onEvict = options.onEvict;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, charge: number): void {
    checkCharge(charge);
    this.remove(key, value);
    if (charge > this.capacity) return;
    this.entries.set(key, { value, charge });
    this.used += charge;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.capacity) break;
      this.entries.delete(oldest);
      this.used -= entry.charge;
      this.evictions++;
      this.onEvict?.(oldest, entry.value);
    }
  }

  delete(key: K): boolean {
    return this.remove(key, undefined);
  }

  /** Removes `key`; tells `onEvict` unless its value is `keep` (a set of the same value again). */
  private remove(key: K, keep: V | undefined): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.used -= entry.charge;
    if (entry.value !== keep) this.onEvict?.(key, entry.value);
    return true;
  }

  clear(): void {
    const left = this.onEvict === undefined ? [] : [...this.entries];
    this.entries.clear();
    this.used = 0;
    for (const [key, entry] of left) this.onEvict?.(key, entry.value);
  }

  stats(): CacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      bytesUsed: this.used,
      entries: this.entries.size,
      capacity: this.capacity,
    };
  }
}
