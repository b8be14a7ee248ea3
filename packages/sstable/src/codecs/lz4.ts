import { corruption, decodeVarint, encodeVarint, varintLength } from '@velocity/core';
import * as lz4js from 'lz4js';
import type { Codec } from '../types.js';
import { decodeLz4Block, encodeLz4Literals } from './lz4-block.js';

/** LZ4 needs at most this many bytes for `n` input bytes. */
function compressBound(n: number): number {
  return n + Math.ceil(n / 255) + 16;
}

/**
 * The compressor's hash table, cleared before each block: a stale entry equal to the current position
 * would make `lz4js` emit a match with offset 0.
 */
let hashTable: Uint32Array | undefined;
let scratch = new Uint8Array(0);

/** Largest expansion LZ4 can encode: a block never decodes to more than 255 times its size (+ slack). */
const MAX_RATIO = 255;

/**
 * LZ4 block compression (codec id 3). Stored as `uncompressed length: varint32 | LZ4 block`. Compression
 * uses the `lz4js` package's block compressor; decompression is Velocity's bounds-checked decoder.
 */
export const lz4Codec: Codec = {
  id: 3,
  name: 'lz4',
  compress(input: Uint8Array): Uint8Array {
    const bound = compressBound(input.length);
    if (scratch.length < bound) scratch = new Uint8Array(bound);
    if (hashTable === undefined) hashTable = new Uint32Array(1 << 16);
    else hashTable.fill(0);
    const header = varintLength(input.length);
    let written = lz4js.compressBlock(input, scratch, 0, input.length, hashTable);
    const out = new Uint8Array(header + (written > 0 ? written : compressBound(input.length)));
    encodeVarint(out, 0, input.length);
    if (written > 0) {
      out.set(scratch.subarray(0, written), header);
      return out;
    }
    written = encodeLz4Literals(input, out, header);
    return out.subarray(0, written);
  },
  decompress(input: Uint8Array): Uint8Array {
    const { value: length, offset } = decodeVarint(input, 0, input.length, 5, { value: 0, offset: 0 });
    if (length > (input.length - offset) * MAX_RATIO + 16) throw corruption('lz4: implausible length');
    const out = new Uint8Array(length);
    if (decodeLz4Block(input, offset, input.length, out) !== length) {
      throw corruption('lz4: decoded length differs from the recorded length');
    }
    return out;
  },
};
