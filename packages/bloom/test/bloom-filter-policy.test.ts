import { isVelocityError, toHex, utf8 } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLOOM_FILTER_NAME,
  BloomFilterPolicy,
  MAX_PROBES,
  murmurHash3,
  probesForBitsPerKey,
} from '../src/index.js';

const keys = (...texts: string[]) => texts.map(utf8);

describe('BloomFilterPolicy: format', () => {
  it('is named velocity.BuiltinBloomFilter whatever bitsPerKey is', () => {
    expect(BLOOM_FILTER_NAME).toBe('velocity.BuiltinBloomFilter');
    expect(new BloomFilterPolicy().name).toBe(BLOOM_FILTER_NAME);
    expect(new BloomFilterPolicy(3).name).toBe(BLOOM_FILTER_NAME);
  });

  it('derives k = round(bitsPerKey * ln 2), clamped to 1..30', () => {
    expect(probesForBitsPerKey(1)).toBe(1);
    expect(probesForBitsPerKey(0.1)).toBe(1);
    expect(probesForBitsPerKey(5)).toBe(3);
    expect(probesForBitsPerKey(10)).toBe(7);
    expect(probesForBitsPerKey(20)).toBe(14);
    expect(probesForBitsPerKey(43)).toBe(30);
    expect(probesForBitsPerKey(1000)).toBe(MAX_PROBES);
    expect(new BloomFilterPolicy().probes).toBe(7);
    expect(new BloomFilterPolicy().bitsPerKey).toBe(10);
  });

  it('stores k in the last byte and sizes the bit array as max(64, n * bitsPerKey) rounded to bytes', () => {
    const p = new BloomFilterPolicy(10);
    expect(p.createFilter([])).toEqual(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 7]));
    expect(p.createFilter(keys('a')).length).toBe(8 + 1); // 10 bits -> minimum 64
    const hundred = Array.from({ length: 100 }, (_, i) => utf8(`k${i}`));
    expect(p.createFilter(hundred).length).toBe(125 + 1); // 1000 bits
    const odd = new BloomFilterPolicy(7.5).createFilter(hundred.slice(0, 11)); // 82.5 -> 83 bits -> 11 bytes
    expect(odd.length).toBe(11 + 1);
    expect(odd[11]).toBe(5);
  });

  // Golden filters: if these change, every stored table's filter becomes wrong. Do not update the
  // expected bytes; introduce a new filter name instead.
  it('builds exactly the pinned bytes for a fixed key set (golden filter, minimum size)', () => {
    const filter = new BloomFilterPolicy(10).createFilter(keys('hello', 'world'));
    expect(toHex(filter)).toBe(GOLDEN_SMALL);
  });

  it('builds exactly the pinned bytes for a fixed key set (golden filter, 20 keys)', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => utf8(`key-${String(i).padStart(3, '0')}`));
    expect(toHex(new BloomFilterPolicy(10).createFilter(twenty))).toBe(GOLDEN_20);
    expect(toHex(new BloomFilterPolicy(5).createFilter(twenty))).toBe(GOLDEN_20_AT_5);
  });

  it('ignores duplicates and order', () => {
    const p = new BloomFilterPolicy(10);
    expect(p.createFilter(keys('x', 'y', 'x', 'z'))).toEqual(
      p.createFilter(keys('z', 'y', 'x', 'x')).slice(),
    );
  });
});

const GOLDEN_SMALL = '218c01008400524a07';
const GOLDEN_20 = 'd705dcfc87f1dc69c73c7f187889118ad90e275b47e9c6216507';
const GOLDEN_20_AT_5 = '46c7edd991056c6b8e0b70870803';

/**
 * The format exactly as the README states it, written independently with BigInt arithmetic, so the
 * documentation and the implementation cannot drift apart.
 */
function referenceFilter(set: readonly Uint8Array[], bitsPerKey: number): Uint8Array {
  const k = Math.min(30, Math.max(1, Math.round(bitsPerKey * Math.LN2)));
  const m = Math.ceil(Math.max(64, Math.ceil(set.length * bitsPerKey)) / 8) * 8;
  const out = new Uint8Array(m / 8 + 1);
  out[m / 8] = k;
  const u32 = (x: bigint) => x & 0xffffffffn;
  const fmix32 = (x: bigint) => {
    x ^= x >> 16n;
    x = u32(x * 0x85ebca6bn);
    x ^= x >> 13n;
    x = u32(x * 0xc2b2ae35n);
    return x ^ (x >> 16n);
  };
  for (const key of set) {
    const h = BigInt(murmurHash3(key, 0x76656c6f));
    const delta = fmix32(u32(h + 0x9e3779b9n));
    for (let j = 0n; j < BigInt(k); j++) {
      const bit = Number(u32(h + j * delta) % BigInt(m));
      out[Math.floor(bit / 8)] |= 1 << (bit % 8);
    }
  }
  return out;
}

describe('BloomFilterPolicy: matches the documented format', () => {
  it('equals an independent implementation of the README layout', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 24 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 50 }),
        (set, bitsPerKey) => {
          expect(toHex(new BloomFilterPolicy(bitsPerKey).createFilter(set))).toBe(
            toHex(referenceFilter(set, bitsPerKey)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('BloomFilterPolicy: reading', () => {
  const p = new BloomFilterPolicy(10);

  it('matches the keys it was built from and rejects most others', () => {
    const filter = p.createFilter(keys('hello', 'world'));
    expect(p.keyMayMatch(utf8('hello'), filter)).toBe(true);
    expect(p.keyMayMatch(utf8('world'), filter)).toBe(true);
    expect(p.keyMayMatch(utf8('x'), filter)).toBe(false);
    expect(p.keyMayMatch(utf8('foo'), filter)).toBe(false);
  });

  it('an empty filter (no keys) matches nothing', () => {
    const filter = p.createFilter([]);
    for (const k of ['', 'a', 'hello']) expect(p.keyMayMatch(utf8(k), filter)).toBe(false);
  });

  it('answers true for malformed filters (shorter than 2 bytes)', () => {
    expect(p.keyMayMatch(utf8('a'), new Uint8Array(0))).toBe(true);
    expect(p.keyMayMatch(utf8('a'), new Uint8Array([7]))).toBe(true);
  });

  it('answers true for reserved probe counts (0 and 31..255), never a false negative', () => {
    for (const k of [0, 31, 32, 100, 255]) {
      const filter = new Uint8Array(9);
      filter[8] = k;
      expect(p.keyMayMatch(utf8('anything'), filter)).toBe(true);
    }
  });

  it('reads filters written with any bitsPerKey (k comes from the filter)', () => {
    const set = Array.from({ length: 500 }, (_, i) => utf8(`member-${i}`));
    for (const writerBits of [1, 4, 10, 23, 50]) {
      const filter = new BloomFilterPolicy(writerBits).createFilter(set);
      for (const reader of [new BloomFilterPolicy(2), new BloomFilterPolicy(30)]) {
        for (const key of set) expect(reader.keyMayMatch(key, filter)).toBe(true);
      }
    }
  });

  it('reads a filter that is a view into a larger buffer', () => {
    const filter = p.createFilter(keys('a', 'b', 'c'));
    const big = new Uint8Array(filter.length + 10);
    big.set(filter, 5);
    const view = big.subarray(5, 5 + filter.length);
    for (const k of ['a', 'b', 'c']) expect(p.keyMayMatch(utf8(k), view)).toBe(true);
    expect(p.keyMayMatch(utf8('d'), view)).toBe(p.keyMayMatch(utf8('d'), filter));
  });

  it('rejects a bitsPerKey that is not a finite positive number with INVALID_ARGUMENT', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '10' as unknown as number]) {
      expect(() => new BloomFilterPolicy(bad)).toThrow(
        expect.objectContaining({ name: 'VelocityError', code: 'INVALID_ARGUMENT' }),
      );
    }
    try {
      new BloomFilterPolicy(-3);
    } catch (e) {
      expect(isVelocityError(e, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('BloomFilterPolicy: properties', () => {
  it('never gives a false negative (any keys, any bitsPerKey)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 300 }),
        fc.double({ min: 0.5, max: 60, noNaN: true }),
        (set, bitsPerKey) => {
          const policy = new BloomFilterPolicy(bitsPerKey);
          const filter = policy.createFilter(set);
          for (const key of set) if (!policy.keyMayMatch(key, filter)) return false;
          return filter[filter.length - 1] === policy.probes;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('newBuilder() builds the same bytes as createFilter of the keys added, and starts over after finish', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 700 }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.double({ min: 0.5, max: 60, noNaN: true }),
        (sets, bitsPerKey) => {
          const policy = new BloomFilterPolicy(bitsPerKey);
          const builder = policy.newBuilder();
          for (const set of sets) {
            for (const key of set) builder.add(key);
            expect(builder.count).toBe(set.length);
            expect(builder.finish()).toEqual(policy.createFilter(set));
            expect(builder.count).toBe(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('newBuilder() does not keep the keys: a key buffer reused between adds gives the same filter', () => {
    const policy = new BloomFilterPolicy(10);
    const builder = policy.newBuilder();
    const buffer = new Uint8Array(8);
    const set = Array.from({ length: 1000 }, (_, i) => utf8(`k${String(i).padStart(7, '0')}`));
    for (const key of set) {
      buffer.set(key);
      builder.add(buffer);
    }
    expect(builder.finish()).toEqual(policy.createFilter(set));
  });

  it('never throws on arbitrary filter bytes', () => {
    const p = new BloomFilterPolicy();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (key, filter) => {
        expect(typeof p.keyMayMatch(key, filter)).toBe('boolean');
      }),
    );
  });
});
