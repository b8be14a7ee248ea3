import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KIND_FOR_SEEK, makeInternalKey } from '../src/internal-key.js';
import { LookupKey } from '../src/lookup-key.js';

describe('LookupKey', () => {
  it('holds the internal key (user key, sequence, seek kind) of every key it is set to, in turn', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        (lookups) => {
          const lookup = new LookupKey(8);
          for (const [key, sequence] of lookups) {
            lookup.set(key, sequence);
            expect(lookup.userKey).toBe(key);
            expect(lookup.sequence).toBe(sequence);
            expect([...lookup.internalKey]).toEqual([...makeInternalKey(key, sequence, KIND_FOR_SEEK)]);
          }
        },
      ),
    );
  });

  it('re-uses its internal-key view while keys keep their length, and grows for a longer key', () => {
    const lookup = new LookupKey(16);
    const first = lookup.set(new Uint8Array([1, 2, 3]), 5).internalKey;
    expect(lookup.set(new Uint8Array([4, 5, 6]), 9).internalKey).toBe(first);
    expect([...first.subarray(0, 3)]).toEqual([4, 5, 6]);
    const longer = lookup.set(new Uint8Array(40).fill(7), 1).internalKey;
    expect(longer).not.toBe(first);
    expect(longer.length).toBe(48);
  });
});
