/**
 * A Bloom filter of the user keys a memtable holds, so that a point lookup of a key it does not hold
 * skips the skip-list search. Once a database is larger than its memtable most lookups are such
 * misses, and the search is ~27 dependent loads, most of them cache misses in a large memtable:
 * measured on a 1M-entry database with a 16 MiB memtable left half full, 4.0-4.4 µs per `getSync`
 * against 2.7-3.0 with a 4 MiB one, almost all of it the memtable search.
 *
 * Two probes from one 32-bit hash, 8 to 16 bits per key (the bit array doubles, rebuilt from the
 * keys' kept hashes, whenever keys reach one per 8 bits): 1.4-4.9% false positives, and about 6 bytes
 * per key in all. Only for comparators under which equal keys are equal bytes (the bytewise one).
 * @module
 */
import { hashBytes } from '@velocity/core';

/** Bits of the first array (512 bytes); it doubles as keys are added. */
const FIRST_BITS = 1 << 12;

/** The user keys of one memtable, as a Bloom filter that grows with them. */
export class KeyFilter {
  private bits: Uint32Array;
  private mask: number;
  /** Every added key's hash (to rebuild a larger array), `count` of them. */
  private hashes: Uint32Array;
  private count = 0;

  /**
   * @param expectedKeys keys the bit array is sized for up front (8 bits each, rounded up to a power
   * of two), so that it does not rebuild below that many: a rebuild sets every kept hash again, which
   * at 100k–250k keys held the event loop for 5–14 ms. Default: a small filter that grows.
   */
  constructor(expectedKeys = 0) {
    let bits = FIRST_BITS;
    while (bits < expectedKeys * 8) bits *= 2;
    this.bits = new Uint32Array(bits >>> 5);
    this.mask = bits - 1;
    this.hashes = new Uint32Array(256);
  }

  /** Records `key`. */
  add(key: Uint8Array): void {
    this.addRange(key, 0, key.length);
  }

  /** Records the key `src[start, end)`. */
  addRange(src: Uint8Array, start: number, end: number): void {
    const h = hashBytes(src, start, end);
    if (this.count === this.hashes.length) {
      const more = new Uint32Array(2 * this.hashes.length);
      more.set(this.hashes);
      this.hashes = more;
    }
    this.hashes[this.count++] = h;
    if (this.count * 8 > this.mask + 1) this.grow();
    else this.set(h);
  }

  /** False when `key` was certainly never added; true when it may have been. */
  mayContain(key: Uint8Array): boolean {
    const h = hashBytes(key, 0, key.length);
    const mask = this.mask;
    const a = h & mask;
    const b = ((h >>> 16) | (h << 16)) & mask;
    return (this.bits[a >>> 5] & (1 << (a & 31))) !== 0 && (this.bits[b >>> 5] & (1 << (b & 31))) !== 0;
  }

  /** Bytes held. */
  get byteSize(): number {
    return this.bits.byteLength + this.hashes.byteLength;
  }

  private set(h: number): void {
    const mask = this.mask;
    const a = h & mask;
    const b = ((h >>> 16) | (h << 16)) & mask;
    this.bits[a >>> 5] |= 1 << (a & 31);
    this.bits[b >>> 5] |= 1 << (b & 31);
  }

  /** Doubles the bit array and sets every kept hash in it again. */
  private grow(): void {
    const size = 2 * (this.mask + 1);
    this.bits = new Uint32Array(size >>> 5);
    this.mask = size - 1;
    for (let i = 0; i < this.count; i++) this.set(this.hashes[i]);
  }
}
