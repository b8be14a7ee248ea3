import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADER_SIZE, decodeSlotHeader, encodeSlotHeader } from '../src/opfs/slot-header.js';

describe('slot header', () => {
  it('round-trips any path, kind and generation', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 300 }),
        fc.constantFrom('file' as const, 'directory' as const),
        fc.maxSafeNat(),
        (path, kind, generation) => {
          const bytes = encodeSlotHeader({ kind, path, generation });
          expect(bytes.length).toBe(HEADER_SIZE);
          expect(decodeSlotHeader(bytes)).toEqual({ kind, path, generation });
        },
      ),
    );
  });

  it('reads zeros, a torn write and any flipped byte as a free slot', () => {
    expect(decodeSlotHeader(new Uint8Array(HEADER_SIZE))).toBeUndefined();
    const good = encodeSlotHeader({ kind: 'file', path: '/db/000001.log', generation: 7 });
    const torn = good.slice();
    torn.fill(0, 24); // the end of the path never reached the disk
    expect(decodeSlotHeader(torn)).toBeUndefined();
    for (let i = 0; i < 20 + '/db/000001.log'.length; i++) {
      const bad = good.slice();
      bad[i] ^= 0x01;
      expect(decodeSlotHeader(bad), `byte ${i}`).toBeUndefined();
    }
  });

  it('pins the byte layout', () => {
    const bytes = encodeSlotHeader({ kind: 'directory', path: '/db', generation: 2 ** 32 + 5 });
    expect([...bytes.subarray(0, 16)]).toEqual([0x56, 0x4f, 0x50, 0x46, 1, 2, 3, 0, 5, 0, 0, 0, 1, 0, 0, 0]);
    expect(new TextDecoder().decode(bytes.subarray(20, 23))).toBe('/db');
  });
});
