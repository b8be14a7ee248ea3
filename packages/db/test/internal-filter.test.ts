// internalFilterPolicy keeps the wrapped policy's incremental builder, which makes the same filter
// as createFilter over the same keys.
import { BloomFilterPolicy, type FilterPolicy } from '@velocity/bloom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTERNAL_FILTER_PREFIX, internalFilterPolicy } from '../src/internal-filter.js';

describe('internalFilterPolicy', () => {
  it("passes the policy's builder through: the same filter as createFilter of the keys", () => {
    const wrapped = internalFilterPolicy(new BloomFilterPolicy(10));
    expect(wrapped.name).toBe(`${INTERNAL_FILTER_PREFIX}${new BloomFilterPolicy(10).name}`);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 24 }), { maxLength: 300 }), (keys) => {
        const builder = wrapped.newBuilder!();
        for (const key of keys) builder.add(key);
        expect(builder.count).toBe(keys.length);
        const filter = builder.finish();
        expect(filter).toEqual(wrapped.createFilter(keys));
        for (const key of keys) expect(wrapped.keyMayMatch(key, filter)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('offers no builder when the policy has none', () => {
    const bare: FilterPolicy = {
      name: 'test.Everything',
      createFilter: () => new Uint8Array(0),
      keyMayMatch: () => true,
    };
    expect(internalFilterPolicy(bare).newBuilder).toBeUndefined();
  });
});
