/**
 * A hash index over the user keys of a resident table, for point lookups that skip both binary
 * searches (the table index, then the block's entries) and the bloom filter. The idea is RocksDB's
 * data-block hash index, applied to the whole table at once since a resident table's entries are
 * flat arrays already (see `FlatEntries`).
 *
 * Layout: open addressing with linear probing over `ceil(4/3 × entries)` slots (load at most 3/4;
 * a hash picks its first slot by multiplying, not masking, so the count need not be a power of two,
 * which would cost up to twice the memory). Slot `s` holds where the entry's key starts in the flat
 * bytes in `slots[2s]`, and `(entry + 1) << 8 | fingerprint` in `slots[2s + 1]` (0: empty), the
 * fingerprint being the low 8 bits of the key's 32-bit hash (the high bits pick the first slot).
 * A probe compares key bytes only when the fingerprints agree (1 in 256 otherwise).
 *
 * Why the key's start is in the slot: a lookup is bound by memory latency. With only the entry number
 * there, the key's position had to be read from the entry bounds before its bytes could be: two cache
 * misses one after the other. With the start in the slot, the key's bytes and its end (the one bound
 * still needed, to check the length) are loaded at once, in parallel. 8 bytes per slot as before:
 * about 11 bytes per entry. Tables of 2^24 entries or more (far beyond any table size here) get no
 * index; their lookups take the binary searches.
 *
 * Only the first (newest) entry of each user key is indexed; its older versions follow it in the flat
 * arrays.
 *
 * It applies to comparators whose order is byte order up to a fixed trailer (the bytewise comparator
 * and internal keys over it), where equal user keys are equal bytes.
 * @module
 */
import { hashBytes } from '@velocity/core';

/** Slots for a table of `entries` entries: a third more (16 at least), so that load stays <= 3/4. */
export function hashSlotsFor(entries: number): number {
  return Math.max(16, Math.ceil((entries * 4) / 3));
}

/** The first slot of hash `h` among `n`: `floor(h × n / 2^32)`, uniform for a uniform 32-bit hash. */
function firstSlot(h: number, n: number): number {
  return Math.floor((h / 4294967296) * n);
}

/** The hash the index uses: `hashBytes` from `@velocity/core` (FNV-1a with MurmurHash3's mixer). */
export const hashKey = hashBytes;

/** Entries a table may have for a {@link KeyHashIndex} (entry numbers + 1 take 24 bits of a slot). */
export const MAX_HASHED_ENTRIES = (1 << 24) - 1;

/** User keys of flat entries → the index of each one's first entry. */
export class KeyHashIndex {
  private readonly slots: Uint32Array;
  private readonly n: number;
  /** The next entry {@link KeyHashIndex.addSome} indexes. */
  private next = 0;
  /** The user key of the entry indexed last (`prevEnd < prevStart`: none yet). */
  private prevStart = 0;
  private prevEnd = -1;

  /**
   * An index of entries `[0, count)` of `keys`/`starts` (key `e` is `keys[starts[2e], starts[2e + 1])`,
   * the layout of `FlatEntries`; its user key is all but the last `trailer` bytes), which are in comparator order, so that the
   * versions of one user key are neighbours. The entries are indexed by {@link KeyHashIndex.addSome}
   * (all at once unless `inSteps`), and nothing may be looked up before that returned true.
   */
  constructor(
    private readonly keys: Uint8Array,
    private readonly starts: Uint32Array,
    private readonly count: number,
    private readonly trailer: number,
    inSteps = false,
  ) {
    const n = hashSlotsFor(count);
    this.slots = new Uint32Array(2 * n);
    this.n = n;
    if (!inSteps) this.addSome(() => false);
  }

  /** Bytes of the index of a table of `entries` entries (8 per slot). */
  static bytesFor(entries: number): number {
    return 8 * hashSlotsFor(entries);
  }

  /** Bytes of the slots. */
  get byteSize(): number {
    return this.slots.byteLength;
  }

  /**
   * Indexes entries in order until `expired()` turns true (checked every 1,024 entries) or all are
   * indexed; true once all are (about 0.2 µs per entry, so a 100k-entry table takes a few slices of a
   * millisecond instead of one 20-30 ms step).
   */
  addSome(expired: () => boolean): boolean {
    const { keys, starts, trailer, slots, n, count } = this;
    let prevStart = this.prevStart;
    let prevEnd = this.prevEnd;
    let e = this.next;
    while (e < count) {
      const stop = Math.min(count, e + 1024);
      for (; e < stop; e++) {
        const start = starts[2 * e];
        const end = starts[2 * e + 1] - trailer;
        if (end < start) continue; // Shorter than its trailer: only a full search can judge it.
        if (end - start === prevEnd - prevStart && sameBytes(keys, start, prevStart, end - start)) continue;
        prevStart = start;
        prevEnd = end;
        const h = hashKey(keys, start, end);
        let s = firstSlot(h, n);
        while (slots[2 * s + 1] !== 0) s = s + 1 === n ? 0 : s + 1;
        slots[2 * s] = start;
        slots[2 * s + 1] = (((e + 1) << 8) | (h & 255)) >>> 0;
      }
      if (e < count && expired()) break;
    }
    this.next = e;
    this.prevStart = prevStart;
    this.prevEnd = prevEnd;
    return e >= count;
  }

  /**
   * The first entry whose user key is `target[0, target.length - trailer)`, or -1 when the table has
   * none (`target` must be at least `trailer` bytes long).
   */
  find(target: Uint8Array): number {
    const userLength = target.length - this.trailer;
    const h = hashKey(target, 0, userLength);
    const slots = this.slots;
    const keys = this.keys;
    const starts = this.starts;
    const n = this.n;
    const fingerprint = h & 255;
    for (let s = firstSlot(h, n); ; s = s + 1 === n ? 0 : s + 1) {
      const slot = slots[2 * s + 1];
      if (slot === 0) return -1;
      if ((slot & 255) !== fingerprint) continue;
      const e = (slot >>> 8) - 1;
      const start = slots[2 * s];
      // Both loads start here, independent of each other: the key's end and its bytes.
      const end = starts[2 * e + 1];
      let i = 0;
      while (i < userLength && keys[start + i] === target[i]) i++;
      if (i === userLength && end - this.trailer - start === userLength) return e;
    }
  }
}

/** True when `bytes[a, a + n)` equals `bytes[b, b + n)`. */
function sameBytes(bytes: Uint8Array, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}
