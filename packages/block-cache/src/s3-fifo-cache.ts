import type { Cache, CacheOptions, CacheStats } from './cache.js';
import { FifoQueue, type Queued } from './fifo-queue.js';
import { checkCapacity, checkCharge } from './lru-cache.js';

interface FifoEntry<K, V> extends Queued {
  key: K;
  value: V;
  charge: number;
  /** Accesses since insertion (or since the last pass through main), capped at 3. */
  freq: number;
  inMain: boolean;
}

interface GhostEntry<K> extends Queued {
  key: K;
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
 * Hits only bump a small counter, with no list manipulation, so reads are cheap. The queues are
 * {@link FifoQueue}s, so an eviction is O(1) amortised.
 */
export class S3FifoCache<K, V> implements Cache<K, V> {
  readonly name = 's3-fifo';
  readonly capacity: number;
  private readonly smallTarget: number;
  private readonly index = new Map<K, FifoEntry<K, V>>();
  private readonly small = new FifoQueue<FifoEntry<K, V>>();
  private readonly main = new FifoQueue<FifoEntry<K, V>>();
  private readonly ghostIndex = new Map<K, GhostEntry<K>>();
  private readonly ghost = new FifoQueue<GhostEntry<K>>();
  private smallBytes = 0;
  private mainBytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private readonly onEvict: ((key: K, value: V) => void) | undefined;

  constructor(options: CacheOptions<K, V> & { smallRatio?: number }) {
    checkCapacity(options?.capacity);
    this.capacity = options.capacity;
    this.smallTarget = Math.floor(options.capacity * (options.smallRatio ?? 0.1));
    this.onEvict = options.onEvict;
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
    const ghost = this.ghostIndex.get(key);
    if (ghost !== undefined) {
      this.ghostIndex.delete(key);
      this.ghost.withdraw(ghost);
    }
    const old = this.index.get(key);
    this.remove(key, value);
    if (charge > this.capacity) return;
    const entry: FifoEntry<K, V> = {
      ticket: 0,
      key,
      value,
      charge,
      freq: old ? old.freq : 0,
      inMain: ghost !== undefined || (old?.inMain ?? false),
    };
    this.index.set(key, entry);
    // Make room first, so the new entry is never the one chosen.
    while (this.smallBytes + this.mainBytes + charge > this.capacity) this.evictOne();
    if (entry.inMain) {
      this.main.push(entry);
      this.mainBytes += charge;
    } else {
      this.small.push(entry);
      this.smallBytes += charge;
    }
  }

  /** Evicts one entry, or promotes one from small to main (which frees nothing yet). */
  private evictOne(): void {
    if (this.small.size > 0 && (this.smallBytes > this.smallTarget || this.main.size === 0))
      this.evictFromSmall();
    else if (this.main.size > 0) this.evictFromMain();
    else throw new Error('S3FifoCache: nothing to evict (charge accounting broken)');
  }

  private evictFromSmall(): void {
    const entry = this.small.shift() as FifoEntry<K, V>;
    this.smallBytes -= entry.charge;
    if (entry.freq > 0) {
      entry.freq = 0;
      entry.inMain = true;
      this.main.push(entry);
      this.mainBytes += entry.charge;
      return;
    }
    this.index.delete(entry.key);
    this.evictions++;
    this.onEvict?.(entry.key, entry.value);
    const ghost: GhostEntry<K> = { ticket: 0, key: entry.key };
    this.ghostIndex.set(entry.key, ghost);
    this.ghost.push(ghost);
    // The ghost remembers about as many keys as the cache holds.
    if (this.ghost.size > Math.max(16, this.index.size)) {
      const oldest = this.ghost.shift() as GhostEntry<K>;
      this.ghostIndex.delete(oldest.key);
    }
  }

  private evictFromMain(): void {
    for (;;) {
      const entry = this.main.shift() as FifoEntry<K, V>;
      if (entry.freq > 0) {
        entry.freq--;
        this.main.push(entry);
        continue;
      }
      this.mainBytes -= entry.charge;
      this.index.delete(entry.key);
      this.evictions++;
      this.onEvict?.(entry.key, entry.value);
      return;
    }
  }

  delete(key: K): boolean {
    return this.remove(key, undefined);
  }

  /** Removes `key`; tells `onEvict` unless its value is `keep` (a set of the same value again). */
  private remove(key: K, keep: V | undefined): boolean {
    const entry = this.index.get(key);
    if (entry === undefined) return false;
    this.index.delete(key);
    if (entry.inMain) {
      this.main.withdraw(entry);
      this.mainBytes -= entry.charge;
    } else {
      this.small.withdraw(entry);
      this.smallBytes -= entry.charge;
    }
    if (entry.value !== keep) this.onEvict?.(key, entry.value);
    return true;
  }

  clear(): void {
    const left = this.onEvict === undefined ? [] : [...this.index.values()];
    this.index.clear();
    this.small.clear();
    this.main.clear();
    this.ghostIndex.clear();
    this.ghost.clear();
    this.smallBytes = 0;
    this.mainBytes = 0;
    for (const entry of left) this.onEvict?.(entry.key, entry.value);
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
