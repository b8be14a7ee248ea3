/**
 * Key shapes: what the keys of a run look like. `decimal` keys are fixed-width zero-padded decimals
 * (LevelDB's db_bench); `random` keys are uniformly random bytes of the same length, as hashes and
 * UUIDs are. In both, key `i` of the loaded range `0 .. entries - 1` ascends in byte order with `i`,
 * so fillseq writes in key order and every benchmark picks keys by index alike.
 * @module
 */
import { keyOf, seededRandom } from './random.js';

/** The key shapes `--keys` accepts. */
export const KEY_KINDS = ['decimal', 'random'] as const;

/** A key shape's name. */
export type KeyKind = (typeof KEY_KINDS)[number];

/** The keys of one run. */
export interface KeyShape {
  readonly kind: KeyKind;
  /**
   * Key `i` as a fresh array (engines may keep what they are given). Keys `0 .. entries - 1` ascend
   * in byte order; keys from `entries` on (YCSB's inserts) are new keys of the same shape.
   */
  key(i: number): Uint8Array;
  /** A key absent from the loaded range but inside it, next to key `i` (`0 <= i < entries`). */
  missing(i: number): Uint8Array;
}

/** Bytes of a random key that hold its rank-ordered prefix; the rest is random per key. */
const PREFIX_BYTES = 6;
const TWO_32 = 2 ** 32;

/** Key shape `kind` for `entries` keys of `size` bytes; `seed` picks the random keys. */
export function keyShape(kind: KeyKind, entries: number, size: number, seed = 77): KeyShape {
  if (kind === 'decimal') return decimalKeys(size);
  if (kind === 'random') return randomKeys(entries, size, seed);
  throw new Error(`unknown key shape ${kind as string}; choose one of ${KEY_KINDS.join(', ')}`);
}

function decimalKeys(size: number): KeyShape {
  return {
    kind: 'decimal',
    key: (i) => keyOf(i, size),
    // db_bench's: the last digit made a '.', which sorts below every digit.
    missing(i) {
      const key = keyOf(i, size);
      key[size - 1] = 0x2e;
      return key;
    },
  };
}

/**
 * Uniformly random keys, ordered by index: `entries` random 48-bit prefixes are drawn and sorted
 * (made strictly increasing in the rare case of a tie), and key `i` is prefix `i` followed by random
 * bytes drawn from `i`. The set of keys is a uniform random sample; sorting only names them in order.
 */
function randomKeys(entries: number, size: number, seed: number): KeyShape {
  if (size < PREFIX_BYTES + 2) throw new RangeError(`random keys need at least 8 bytes, got ${size}`);
  const random = seededRandom(seed);
  const prefixes = new Float64Array(entries);
  for (let i = 0; i < entries; i++) {
    prefixes[i] = Math.floor(random() * 65536) * TWO_32 + Math.floor(random() * TWO_32);
  }
  prefixes.sort();
  for (let i = 1; i < entries; i++) {
    if (prefixes[i] <= prefixes[i - 1]) prefixes[i] = prefixes[i - 1] + 1;
  }
  if (entries > 0 && prefixes[entries - 1] >= 2 ** 48) throw new RangeError('random key prefixes overflowed');
  const key = (i: number): Uint8Array => {
    const tail = seededRandom(Math.imul(i + 1, 0x9e3779b1) ^ seed);
    const prefix =
      i < entries ? prefixes[i] : Math.floor(tail() * 65536) * TWO_32 + Math.floor(tail() * TWO_32);
    const out = new Uint8Array(size);
    const high = Math.floor(prefix / TWO_32);
    const low = prefix % TWO_32;
    out[0] = high >>> 8;
    out[1] = high & 0xff;
    out[2] = low >>> 24;
    out[3] = (low >>> 16) & 0xff;
    out[4] = (low >>> 8) & 0xff;
    out[5] = low & 0xff;
    for (let b = PREFIX_BYTES; b < size; b++) out[b] = Math.floor(tail() * 256);
    return out;
  };
  return {
    kind: 'random',
    key,
    // The only loaded key with this prefix is key i itself, so changing its last byte makes it absent.
    missing(i) {
      const k = key(i);
      k[size - 1] ^= 0x01;
      return k;
    },
  };
}
