import { utf8 } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { murmurHash3 } from '../src/index.js';

// Published MurmurHash3 x86_32 vectors (the SMHasher reference implementation's outputs, as collected in
// many independent ports). The bloom filter format depends on this exact function.
const vectors: [number[] | string, number, number][] = [
  [[], 0, 0],
  [[], 1, 0x514e28b7],
  [[], 0xffffffff, 0x81f16f39],
  [[0xff, 0xff, 0xff, 0xff], 0, 0x76293b50],
  [[0x21, 0x43, 0x65, 0x87], 0, 0xf55b516b],
  [[0x21, 0x43, 0x65, 0x87], 0x5082edee, 0x2362f9de],
  [[0x21, 0x43, 0x65], 0, 0x7e4a8634],
  [[0x21, 0x43], 0, 0xa0f7b07a],
  [[0x21], 0, 0x72661cf4],
  [[0, 0, 0, 0], 0, 0x2362f9de],
  [[0, 0, 0], 0, 0x85f0b427],
  [[0, 0], 0, 0x30f4c306],
  [[0], 0, 0x514e28b7],
  ['Hello, world!', 0x9747b28c, 0x24884cba],
  ['ππππππππ', 0x9747b28c, 0xd58063c1],
  ['abc', 0, 0xb3dd93fa],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', 0, 0xee925b90],
  ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ['a'.repeat(256), 0x9747b28c, 0x37405bdc],
];

describe('murmurHash3', () => {
  it.each(vectors)('hash(%j, seed %d) matches the published vector', (input, seed, expected) => {
    const bytes = typeof input === 'string' ? utf8(input) : new Uint8Array(input);
    expect(murmurHash3(bytes, seed)).toBe(expected);
  });

  it('passes the SMHasher verification value 0xB0F57EE3', () => {
    // Hash keys {}, {0}, {0,1}, ... {0..254} with seed 256 - length; hash the concatenated results.
    const all = new Uint8Array(256 * 4);
    for (let len = 0; len < 256; len++) {
      const key = new Uint8Array(len).map((_, i) => i);
      const h = murmurHash3(key, 256 - len);
      all[len * 4] = h & 0xff;
      all[len * 4 + 1] = (h >>> 8) & 0xff;
      all[len * 4 + 2] = (h >>> 16) & 0xff;
      all[len * 4 + 3] = h >>> 24;
    }
    expect(murmurHash3(all, 0)).toBe(0xb0f57ee3);
  });

  it('hashes a sub-range the same as a copy of it', () => {
    const data = utf8('xxThe quick brown foxyy');
    expect(murmurHash3(data, 7, 2, data.length - 2)).toBe(murmurHash3(data.slice(2, -2), 7));
  });
});
