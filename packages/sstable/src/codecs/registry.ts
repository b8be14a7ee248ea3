import { VelocityError } from '@velocity/core';
import type { Codec } from '../types.js';
import { lz4Codec } from './lz4.js';
import { noCompression } from './none.js';

/**
 * The codecs every reader knows: none (id 0) and LZ4 (id 3). LZ4 was chosen over deflate (fflate) and
 * snappyjs by `bench/codecs.mjs`; see the package README for the numbers.
 */
export const builtinCodecs: readonly Codec[] = [noCompression, lz4Codec];

/** Maps codec ids to codecs: the built-ins plus `extra` (which may not reuse a built-in id). */
export function codecTable(extra: readonly Codec[] = []): ReadonlyMap<number, Codec> {
  const table = new Map<number, Codec>();
  for (const codec of [...builtinCodecs, ...extra]) {
    checkCodecId(codec);
    const known = table.get(codec.id);
    if (known !== undefined && known !== codec) {
      throw new VelocityError(
        'INVALID_ARGUMENT',
        `codec '${codec.name}' reuses id ${codec.id} of codec '${known.name}'`,
      );
    }
    table.set(codec.id, codec);
  }
  return table;
}

/** Throws `INVALID_ARGUMENT` unless the codec's id fits the one-byte type field. */
export function checkCodecId(codec: Codec): void {
  if (!Number.isInteger(codec.id) || codec.id < 0 || codec.id > 255) {
    throw new VelocityError('INVALID_ARGUMENT', `codec id must be 0..255, got ${codec.id}`);
  }
}
