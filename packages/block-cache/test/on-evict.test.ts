import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cache, LruCache, S3FifoCache } from '../src/index.js';

type Factory = (capacity: number, onEvict: (key: number, value: object) => void) => Cache<number, object>;

const factories: [string, Factory][] = [
  ['LruCache', (capacity, onEvict) => new LruCache({ capacity, onEvict })],
  ['S3FifoCache', (capacity, onEvict) => new S3FifoCache({ capacity, onEvict })],
];

const KEYS = 30;
const opArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constant('set' as const), fc.nat(KEYS), fc.nat(600)) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('set-same' as const), fc.nat(KEYS), fc.nat(600)) },
  { weight: 4, arbitrary: fc.tuple(fc.constant('get' as const), fc.nat(KEYS), fc.constant(0)) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('delete' as const), fc.nat(KEYS), fc.constant(0)) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('clear' as const), fc.constant(0), fc.constant(0)) },
);

describe.each(factories)('%s onEvict', (_name, factory) => {
  it('tells of each stored value once, after it left; never of a value still held or refused', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        /** Values the cache took and has not told of: exactly the values it holds. */
        const owned = new Set<object>();
        const cache = factory(500, (key, value) => {
          expect(owned.has(value)).toBe(true);
          owned.delete(value);
        });
        const lookup = (key: number) => cache.get(key);
        for (const [kind, key, charge] of ops) {
          if (kind === 'set' || kind === 'set-same') {
            const same = kind === 'set-same' ? lookup(key) : undefined;
            const value = same ?? {};
            cache.set(key, value, charge);
            // A refused value is the caller's again, even one the cache held under the key before.
            if (charge > cache.capacity) owned.delete(value);
            else owned.add(value);
          } else if (kind === 'get') lookup(key);
          else if (kind === 'delete') cache.delete(key);
          else cache.clear();
          const held = new Set<object>();
          for (let k = 0; k <= KEYS; k++) {
            const v = lookup(k);
            if (v !== undefined) held.add(v);
          }
          expect(held).toEqual(owned);
        }
      }),
    );
  });
});
