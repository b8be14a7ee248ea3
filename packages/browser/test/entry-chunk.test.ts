import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packEntries, transferablesOf, unpackEntries } from '../src/entry-chunk.js';

describe('packed entry chunks', () => {
  it('unpack to the entries that were packed, empty keys and values included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 200 }))),
        (entries) => {
          const packed = structuredClone(packEntries(entries));
          expect(unpackEntries(packed)).toEqual(entries);
        },
      ),
    );
  });

  it('names the two buffers of each packed reply for transfer, and nothing else', () => {
    const packed = packEntries([[Uint8Array.of(1), Uint8Array.of(2)]]);
    expect(transferablesOf([undefined, 3, { packed, done: true }, new Uint8Array(4)])).toEqual([
      packed.bytes.buffer,
      packed.ends.buffer,
    ]);
  });
});
