import { VelocityError, corruption, decodeVarint, encodeVarint, varintLength } from '@velocity/core';
import { deflateSync, inflateSync } from 'fflate';
import type { Codec } from '../types.js';

/** Deflate cannot expand more than about 1032:1. */
const MAX_RATIO = 1032;

/**
 * Raw deflate (RFC 1951) via the `fflate` package (codec id 4), level 1. Stored as
 * `uncompressed length: varint32 | raw deflate stream`.
 */
export const deflateCodec: Codec = {
  id: 4,
  name: 'deflate',
  compress(input: Uint8Array): Uint8Array {
    const body = deflateSync(input, { level: 1 });
    const header = varintLength(input.length);
    const out = new Uint8Array(header + body.length);
    encodeVarint(out, 0, input.length);
    out.set(body, header);
    return out;
  },
  decompress(input: Uint8Array): Uint8Array {
    const { value: length, offset } = decodeVarint(input, 0, input.length, 5, { value: 0, offset: 0 });
    if (length > (input.length - offset) * MAX_RATIO + 16) throw corruption('deflate: implausible length');
    let out: Uint8Array;
    try {
      out = inflateSync(input.subarray(offset), { out: new Uint8Array(length) });
    } catch (error) {
      if (error instanceof VelocityError) throw error;
      throw corruption(`deflate: ${(error as Error).message}`);
    }
    if (out.length !== length) throw corruption('deflate: decoded length differs from the recorded length');
    return out;
  },
};
