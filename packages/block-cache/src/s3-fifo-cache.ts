import type { Cache, CacheStats } from './cache.js';
import { checkCapacity, checkCharge } from './lru-cache.js';

interface FifoEntry<V> {
  value: V;
  charge: number;
  /** Accesses since insertion (or since the last pass through main), capped at 3. */
  freq: number;
  inMain: boolean;
}

/**
 * S3-FIFO eviction (Yang et al., "FIFO queues are all you need for cache eviction", SOSP 2023), with
 * byte charges. Three FIFO queues:
 *
 * - **small** (10% of the capacity) receives new entries. Most entries are used once and leave from
 *   here quickly, without ever disturbing the main queue (this is what makes it scan-resistant).
 * - **main** (the rest) holds entries that proved themselves: an entry leaving small that was read
 *   while there moves to main. Main evicts like CLOCK: an entry at its head with a non-zero frequency
 *   is reinserted at the tail with its frequency decremented.
 * - **ghost** remembers the keys (not values) recently evicted from small; a key set again while in
 *   ghost goes straight to main.
 *
 * Hits only bump a small counter, with no list manipulation, so reads are cheap.
 */
export class S3FifoCache<K, V> implements Cache<K, V> {
  readonly name = 's3-fifo';
  readonly capacity: number;
  private readonly smallTarget: number;
  private readonly index = new Map<K, FifoEntry<V>>();
  /** Insertion-ordered queues (a Map iterates in insertion order; re-inserting moves to the tail). */
  private readonly small = new Map<K, FifoEntry<V>>();
  private readonly main = new Map<K, FifoEntry<V>>();
  private readonly ghost = new Map<K, true>();
  private smallBytes = 0;
  private mainBytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(options: { capacity: number; smallRatio?: number }) {
    checkCapacity(options?.capacity);
    this.capacity = options.capacity;
    this.smallTarget = Math.floor(options.capacity * (options.smallRatio ?? 0.1));
  }

  get(key: K): V | undefined {
    const entry = this.index.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    if (entry.freq < 3) entry.freq++;
    return entry.value;
  }

  set(key: K, value: V, charge: number): void {
    checkCharge(charge);
    const wasGhost = this.ghost.delete(key);
    const old = this.index.get(key);
    this.delete(key);
    if (charge > this.capacity) return;
    const entry: FifoEntry<V> = {
      value,
      charge,
      freq: old ? old.freq : 0,
      inMain: wasGhost || (old?.inMain ?? false),
    };
    this.index.set(key, entry);
    if (entry.inMain) {
      this.main.set(key, entry);
      this.mainBytes += charge;
    } else {
      this.small.set(key, entry);
      this.smallBytes += charge;
    }
    while (this.smallBytes + this.mainBytes > this.capacity) this.evictOne(key);
  }

  /** Evicts one entry (or promotes one from small to main), never the one being inserted. */
  private evictOne(inserting: K): void {
    const smallHasOthers = this.small.size > (this.small.has(inserting) ? 1 : 0);
    const mainHasOthers = this.main.size > (this.main.has(inserting) ? 1 : 0);
    if (smallHasOthers && (this.smallBytes > this.smallTarget || !mainHasOthers))
      this.evictFromSmall(inserting);
    else if (mainHasOthers) this.evictFromMain(inserting);
    else throw new Error('S3FifoCache: nothing to evict (charge accounting broken)');
  }

  private evictFromSmall(inserting: K): void {
    for (const [key, entry] of this.small) {
      if (key === inserting) continue;
      this.small.delete(key);
      this.smallBytes -= entry.charge;
      if (entry.freq > 0) {
        entry.freq = 0;
        entry.inMain = true;
        this.main.set(key, entry);
        this.mainBytes += entry.charge;
        return;
      }
      this.index.delete(key);
      this.evictions++;
      this.ghost.set(key, true);
      // The ghost remembers about as many keys as the cache holds.
      if (this.ghost.size > Math.max(16, this.index.size)) {
        this.ghost.delete(this.ghost.keys().next().value as K);
      }
      return;
    }
  }

  private evictFromMain(inserting: K): void {
    for (const [key, entry] of this.main) {
      if (key === inserting) continue;
      this.main.delete(key);
      if (entry.freq > 0) {
        entry.freq--;
        this.main.set(key, entry);
        continue;
      }
      this.mainBytes -= entry.charge;
      this.index.delete(key);
      this.evictions++;
      return;
    }
  }

  delete(key: K): boolean {
    const entry = this.index.get(key);
    if (entry === undefined) return false;
    this.index.delete(key);
    if (entry.inMain) {
      this.main.delete(key);
      this.mainBytes -= entry.charge;
    } else {
      this.small.delete(key);
      this.smallBytes -= entry.charge;
    }
    return true;
  }

  clear(): void {
    this.index.clear();
    this.small.clear();
    this.main.clear();
    this.ghost.clear();
    this.smallBytes = 0;
    this.mainBytes = 0;
  }

  stats(): CacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      bytesUsed: this.smallBytes + this.mainBytes,
      entries: this.index.size,
      capacity: this.capacity,
    };
  }
}
