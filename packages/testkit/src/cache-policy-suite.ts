import type { Cache } from '@velocity/block-cache';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Makes a cache of the given capacity, the policy under test. */
export type CacheFactory = (capacity: number) => Cache<number, unknown>;

/** One step of {@link checkCacheOperations}: a call on the cache under test. */
export type CacheOperation =
  /** `cache.set(key, value, charge)` with a fresh value. */
  | {
      /** Which call. */
      kind: 'set';
      /** The key to set. */
      key: number;
      /** The charge of the entry in bytes. */
      charge: number;
    }
  /** `cache.get(key)`. */
  | {
      /** Which call. */
      kind: 'get';
      /** The key to look up. */
      key: number;
    }
  /** `cache.delete(key)`. */
  | {
      /** Which call. */
      kind: 'delete';
      /** The key to delete. */
      key: number;
    }
  /** `cache.clear()`. */
  | {
      /** Which call. */
      kind: 'clear';
    };

const opArb: fc.Arbitrary<CacheOperation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.nat(40), charge: fc.nat(300) }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('get' as const), key: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

/**
 * Runs `ops` on a fresh cache and checks, after every call: capacity never exceeded; a set entry that
 * fits is found right away with its value, one that does not fit is absent; the charge accounting is
 * exact (bytesUsed equals the sum of charges of the entries still held, and entries their count);
 * hits + misses equals the number of gets. Throws (an assertion error) on the first violation.
 */
export function checkCacheOperations(
  factory: CacheFactory,
  capacity: number,
  ops: readonly CacheOperation[],
): void {
  const cache = factory(capacity);
  const charges = new Map<number, number>(); // what the cache should hold, if it still holds it
  let gets = 0;
  let version = 0;
  for (const op of ops) {
    if (op.kind === 'set') {
      const value = { key: op.key, version: ++version };
      cache.set(op.key, value, op.charge);
      charges.set(op.key, op.charge);
      gets++;
      const found = cache.get(op.key);
      if (op.charge <= capacity)
        expect(found, `a fresh entry that fits (charge ${op.charge}) must be found`).toBe(value);
      else expect(found, 'an entry larger than the capacity must not be stored').toBeUndefined();
    } else if (op.kind === 'get') {
      gets++;
      const found = cache.get(op.key) as { key: number } | undefined;
      if (found !== undefined) expect(found.key).toBe(op.key);
    } else if (op.kind === 'delete') {
      cache.delete(op.key);
      charges.delete(op.key);
      gets++;
      expect(cache.get(op.key), 'a deleted key must be gone').toBeUndefined();
    } else {
      cache.clear();
      charges.clear();
    }
    const stats = cache.stats();
    expect(stats.bytesUsed, 'capacity exceeded').toBeLessThanOrEqual(capacity);
    expect(stats.hits + stats.misses, 'hits + misses must count every get').toBe(gets);
  }
  // Charge accounting: probe every key once (counting the probes) and sum the charges of those held.
  let held = 0;
  let heldBytes = 0;
  const before = cache.stats();
  for (const [key, charge] of charges) {
    if (cache.get(key) !== undefined) {
      held++;
      heldBytes += charge;
    }
  }
  const after = cache.stats();
  expect(after.entries, 'entries must equal the number of keys still held').toBe(held);
  expect(after.bytesUsed, 'bytesUsed must equal the charges of the entries held').toBe(heldBytes);
  expect(after.hits - before.hits).toBe(held);
  expect(after.evictions).toBeGreaterThanOrEqual(0);
}

/**
 * The conformance suite for a `Cache` implementation: random operation sequences checked by
 * {@link checkCacheOperations} at several capacities, and eviction under pressure.
 *
 * @example
 * ```ts
 * import { LruCache } from '@velocity/block-cache';
 * import { cachePolicySuite } from '@velocity/testkit';
 * cachePolicySuite('LruCache', (capacity) => new LruCache({ capacity }));
 * ```
 */
export function cachePolicySuite(
  name: string,
  factory: CacheFactory,
  options: { numRuns?: number } = {},
): void {
  describe(`cache policy conformance: ${name}`, () => {
    it('keeps capacity, accounting and stats exact under random operations', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(0, 1, 100, 500, 2000),
          fc.array(opArb, { maxLength: 200 }),
          (capacity, ops) => checkCacheOperations(factory, capacity, ops),
        ),
        { numRuns: options.numRuns ?? 200 },
      );
    });

    it('evicts to make room, and counts evictions', () => {
      const cache = factory(1000);
      for (let i = 0; i < 100; i++) cache.set(i, i, 100);
      const stats = cache.stats();
      expect(stats.bytesUsed).toBeLessThanOrEqual(1000);
      expect(stats.entries).toBeLessThanOrEqual(10);
      expect(stats.evictions).toBeGreaterThanOrEqual(90);
      expect(cache.get(99)).toBe(99);
    });

    it('replacing a key adjusts its charge', () => {
      const cache = factory(1000);
      cache.set(1, 'a', 600);
      cache.set(1, 'b', 100);
      expect(cache.stats().bytesUsed).toBe(100);
      expect(cache.get(1)).toBe('b');
    });
  });
}
