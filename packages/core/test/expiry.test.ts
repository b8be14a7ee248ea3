import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXPIRY_PREFIX_SIZE,
  MAX_EXPIRES_AT,
  ValueKind,
  decodeExpiry,
  extractKind,
  makeInternalKey,
  withExpiry,
} from '../src/index.js';

describe('values with an expiry', () => {
  it('round-trip their expiry time and value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_EXPIRES_AT }),
        fc.uint8Array({ maxLength: 40 }),
        (at, value) => {
          const stored = withExpiry(value, at);
          expect(stored.length).toBe(EXPIRY_PREFIX_SIZE + value.length);
          expect(decodeExpiry(stored)).toBe(at);
          expect(stored.subarray(EXPIRY_PREFIX_SIZE)).toEqual(value);
          const framed = Uint8Array.of(9, ...stored, 9);
          expect(decodeExpiry(framed, 1, framed.length - 1)).toBe(at);
        },
      ),
    );
  });

  it('refuse a value shorter than the prefix as corruption', () => {
    expect(() => decodeExpiry(new Uint8Array(7))).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
  });

  it('have their own value kind, which internal keys accept', () => {
    expect(extractKind(makeInternalKey(Uint8Array.of(1), 3, ValueKind.PutWithExpiry))).toBe(2);
    const bad = makeInternalKey(Uint8Array.of(1), 3, ValueKind.Put);
    bad[1] = 3;
    expect(() => extractKind(bad)).toThrow(/unknown value kind 3/);
  });
});
