import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POOLED_COPY_MAX, copyBytes } from '../src/index.js';

describe('copyBytes', () => {
  it('returns a copy equal to the range and independent of the source and of other copies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 2 * POOLED_COPY_MAX }), {
          minLength: 1,
          maxLength: 40,
        }),
        (sources) => {
          const copies = sources.map((s) => copyBytes(s, 0, s.length));
          const expected = sources.map((s) => Array.from(s));
          for (const s of sources) s.fill(0xaa); // change every source after copying
          for (let i = 0; i < copies.length; i++) {
            expect(Array.from(copies[i])).toEqual(expected[i]);
            copies[i].fill(i & 0xff); // and every copy: none may overlap another
          }
          for (let i = 0; i < copies.length; i++) expect(copies[i].every((b) => b === (i & 0xff))).toBe(true);
        },
      ),
    );
  });

  it('copies a sub-range, and pools only mid-sized copies', () => {
    const source = Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff);
    const mid = copyBytes(source, 10, 110);
    expect(Array.from(mid)).toEqual(Array.from(source.subarray(10, 110)));
    expect(mid.buffer.byteLength).toBeGreaterThan(100); // shares a slab
    expect(copyBytes(source, 0, 16).byteLength).toBe(16);
    const large = copyBytes(source, 0, POOLED_COPY_MAX + 1);
    expect(large.buffer.byteLength).toBe(POOLED_COPY_MAX + 1); // its own buffer
  });
});
