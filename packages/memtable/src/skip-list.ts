/**
 * The skip list behind {@link SkipListMemTable}, laid out for V8 and the CPU cache. Every node is a
 * record of consecutive 32-bit words in one growable `Int32Array`; a node's number is the offset of its
 * record. Keys and values are copied into an {@link Arena}. Adding an entry creates no JavaScript
 * object. A search step reads one record: each link carries the next node's first 4 key bytes, so a
 * step that stops (the next node is larger) usually needs no visit to that node, and the 8-byte key
 * prefix in each record settles most comparisons without reading key bytes from the arena.
 *
 * ```
 * word  field
 * 0     P0        key bytes 0..3, big-endian, zero-padded, XOR 0x80000000 (signed order = byte order)
 * 1     P1        key bytes 4..7, the same        (both 0 with a custom comparator: not comparable)
 * 2     KEY_LEN
 * 3     CHUNK     arena chunk holding user key then value, contiguous
 * 4     OFFSET    offset of the key in that chunk
 * 5     VALUE_LEN
 * 6     HI_KIND   floor(sequence / 2^32) * 256 + kind
 * 7     SEQ_LO    sequence mod 2^32 (int32 bits)
 * 8     PREV      previous node at level 0 (0: none); the head's PREV is the last node
 * 9+2l  NEXT[l]   next node at level l (0: none), for each level l of the node's height
 * 10+2l NEXT_P0[l] that next node's P0, so a search decides most steps without visiting it
 * ```
 *
 * The head sentinel is the record at offset 0 with 12 levels, so 0 doubles as "no node". Order: user
 * key ascending (user comparator), then sequence descending, then kind descending. Records never move
 * within the array or get removed, so a node number stays a valid cursor while entries are added; the
 * PREV links make `prev` O(1).
 *
 * Measured while choosing this layout (1M random 16-byte keys, Node 20, bench/memtable.mjs):
 * - Parallel typed arrays per field (one array each for chunk, offset, lengths, sequence, links):
 *   0.40 M inserts/s, 0.28 M gets/s. Every comparison touched 4-6 arrays, each a cache miss.
 * - This record layout: 0.81-0.85 M inserts/s, 0.6-0.7 M gets/s. A search still makes ~27 moves at
 *   1M entries (3 per level with branching 4), each a dependent load; that bounds any skip list.
 * - Upper levels in separate compact per-level arrays (so they stay in cache): only 5-10 % faster and
 *   more code and memory; not kept.
 * - PREV links: backward scans 11.7 M/s against 2.0 M/s for LevelDB's search-per-`prev`, for 4 bytes
 *   per node.
 * @module
 */
import {
  type Comparator,
  TRAILER_SIZE,
  type ValueKind,
  compareBytes,
  encodeTrailer,
  invalidArgument,
} from '@velocity/core';
import { Arena } from './arena.js';
import { MAX_HEIGHT, RandomHeight } from './random-height.js';

/** The head sentinel's node number, which doubles as "no node". */
export const HEAD = 0;
/** A kind above every real kind: (key, seq, KIND_MAX) sorts before every entry of (key, seq). */
export const KIND_MAX = 255;

const P0 = 0;
const P1 = 1;
const KEY_LEN = 2;
const CHUNK = 3;
const OFFSET = 4;
const VALUE_LEN = 5;
const HI_KIND = 6;
const SEQ_LO = 7;
const PREV = 8;
const NEXT = 9;
const TWO_POW_32 = 4294967296;

/**
 * The biased big-endian word of key bytes [start, start + 4), zero-padded past `keyLen`, of the key
 * that starts at `key[at]`.
 */
function prefixWord(key: Uint8Array, at: number, keyLen: number, start: number): number {
  let w = 0;
  for (let i = start; i < start + 4; i++) w = (w << 8) | (i < keyLen ? key[at + i] : 0);
  return w ^ 0x80000000;
}

/** The node store and search of the memtable. Internal: the iterator reads it through its methods. */
export class SkipList {
  readonly arena = new Arena();
  /** Node records; see the module comment. */
  nodes: Int32Array;
  /** Entries inserted. */
  count = 0;
  private used = NEXT + 2 * MAX_HEIGHT; // the head's record
  private maxHeight = 1;
  private readonly heights = new RandomHeight();
  private readonly splice = new Int32Array(MAX_HEIGHT);
  private readonly bytewise: boolean;

  /**
   * @param capacityWords words to reserve for node records up front (at least 1,024; about 12 per
   * entry), so that the array need not grow while the memtable fills.
   */
  constructor(
    readonly user: Comparator,
    capacityWords = 1024,
  ) {
    this.bytewise = user.compare === compareBytes;
    this.nodes = new Int32Array(Math.max(1024, capacityWords));
  }

  /**
   * Bytes held by the node records in use and the arena's chunks. The record array's unused tail is
   * not counted, so that reserving it up front does not make the memtable look full sooner; a large
   * typed array's untouched pages are mapped on demand.
   */
  memoryUsage(): number {
    return this.used * 4 + this.arena.allocatedBytes + this.arena.chunks.length * 16;
  }

  /**
   * The prefix word at byte `start` of the key `key[at, at + keyLen)`, or 0 when prefixes are not
   * comparable.
   */
  prefix(key: Uint8Array, at: number, keyLen: number, start: number): number {
    return this.bytewise ? prefixWord(key, at, keyLen, start) : 0;
  }

  /**
   * Compares node `n`'s user key with `key[at, at + keyLen)`, whose prefix words are `p0`, `p1` (from
   * {@link SkipList.prefix}).
   */
  compareUserKey(n: number, key: Uint8Array, at: number, keyLen: number, p0: number, p1: number): number {
    const nodes = this.nodes;
    let a = nodes[n + P0];
    if (a !== p0) return a < p0 ? -1 : 1;
    a = nodes[n + P1];
    if (a !== p1) return a < p1 ? -1 : 1;
    const chunk = this.arena.chunks[nodes[n + CHUNK]];
    const start = nodes[n + OFFSET];
    const len = nodes[n + KEY_LEN];
    if (this.bytewise) {
      // Equal padded prefixes: the first 8 bytes agree (zeros beyond a shorter key), so compare the rest.
      const common = len < keyLen ? len : keyLen;
      for (let i = 8; i < common; i++) {
        const d = chunk[start + i] - key[at + i];
        if (d !== 0) return d;
      }
      return len - keyLen;
    }
    return this.user.compare(
      chunk.subarray(start, start + len),
      at === 0 && keyLen === key.length ? key : key.subarray(at, at + keyLen),
    );
  }

  /** Compares node `n` with the internal key (key[at, at + keyLen) with prefixes p0/p1, sequence, kind). */
  compareNode(
    n: number,
    key: Uint8Array,
    at: number,
    keyLen: number,
    p0: number,
    p1: number,
    sequence: number,
    kind: number,
  ): number {
    const r = this.compareUserKey(n, key, at, keyLen, p0, p1);
    if (r !== 0) return r;
    const s = this.sequence(n);
    if (s !== sequence) return s > sequence ? -1 : 1;
    const k = this.nodes[n + HI_KIND] & 0xff;
    return k === kind ? 0 : k > kind ? -1 : 1;
  }

  /**
   * The first node >= (key[at, at + keyLen), sequence, kind), or HEAD (0) if none. When `record` is
   * true, the splice array receives the last node < target at each level (the insert position).
   */
  findGreaterOrEqual(
    key: Uint8Array,
    at: number,
    keyLen: number,
    sequence: number,
    kind: number,
    record: boolean,
  ): number {
    const p0 = this.prefix(key, at, keyLen, 0);
    const p1 = this.prefix(key, at, keyLen, 4);
    const nodes = this.nodes;
    let x = HEAD;
    let level = this.maxHeight - 1;
    let knownNotLess = -1; // a node already found >= target: skip comparing it again one level down
    for (;;) {
      const link = x + NEXT + 2 * level;
      const next = nodes[link];
      const nextP0 = nodes[link + 1];
      if (
        next !== HEAD &&
        next !== knownNotLess &&
        nextP0 <= p0 &&
        (nextP0 < p0 || this.compareNode(next, key, at, keyLen, p0, p1, sequence, kind) < 0)
      ) {
        x = next;
      } else {
        if (record) this.splice[level] = x;
        if (level === 0) return next;
        knownNotLess = next;
        level--;
      }
    }
  }

  /** The last node < (key[0, keyLen), sequence, kind), or HEAD if none. */
  findLessThan(key: Uint8Array, keyLen: number, sequence: number, kind: number): number {
    return this.nodes[this.findGreaterOrEqual(key, 0, keyLen, sequence, kind, false) + PREV];
  }

  /**
   * Inserts an entry, copying the user key `src[keyAt, keyAt + keyLen)` and the value
   * `src[valueAt, valueAt + valueLen)` into the arena (both usually lie in one write batch, so no view
   * of either is made). Throws `INVALID_ARGUMENT` if an entry with the same user key and sequence
   * exists.
   */
  insert(
    src: Uint8Array,
    keyAt: number,
    keyLen: number,
    sequence: number,
    kind: number,
    valueSrc: Uint8Array,
    valueAt: number,
    valueLen: number,
  ): void {
    const succ = this.findGreaterOrEqual(src, keyAt, keyLen, sequence, KIND_MAX, true);
    if (succ !== HEAD && this.sequence(succ) === sequence && this.userKeyEquals(succ, src, keyAt, keyLen)) {
      throw invalidArgument(`memtable already holds this user key at sequence ${sequence}`);
    }
    const height = this.heights.next();
    const splice = this.splice;
    if (height > this.maxHeight) {
      for (let l = this.maxHeight; l < height; l++) splice[l] = HEAD;
      this.maxHeight = height;
    }

    const arena = this.arena;
    arena.allocate(keyLen + valueLen);
    const chunk = arena.chunks[arena.chunk];
    copyRange(src, keyAt, keyLen, chunk, arena.offset);
    if (valueLen > 0) copyRange(valueSrc, valueAt, valueLen, chunk, arena.offset + keyLen);

    const n = this.used;
    const end = n + NEXT + 2 * height;
    if (end > this.nodes.length) this.grow(end);
    this.used = end;
    const nodes = this.nodes;
    const p0 = this.prefix(src, keyAt, keyLen, 0);
    nodes[n + P0] = p0;
    nodes[n + P1] = this.prefix(src, keyAt, keyLen, 4);
    nodes[n + KEY_LEN] = keyLen;
    nodes[n + CHUNK] = arena.chunk;
    nodes[n + OFFSET] = arena.offset;
    nodes[n + VALUE_LEN] = valueLen;
    nodes[n + HI_KIND] = Math.floor(sequence / TWO_POW_32) * 256 + kind;
    nodes[n + SEQ_LO] = (sequence % TWO_POW_32) | 0;
    for (let l = 0; l < height; l++) {
      const at = splice[l] + NEXT + 2 * l;
      const own = n + NEXT + 2 * l;
      nodes[own] = nodes[at];
      nodes[own + 1] = nodes[at + 1];
      nodes[at] = n;
      nodes[at + 1] = p0;
    }
    nodes[n + PREV] = splice[0];
    nodes[succ + PREV] = n; // succ === HEAD: n is the new last node
    this.count++;
  }

  /** True when node `n`'s user key equals `key[at, at + len)` (by the comparator). */
  userKeyEquals(n: number, key: Uint8Array, at = 0, len: number = key.length): boolean {
    if (this.bytewise && this.nodes[n + KEY_LEN] !== len) return false;
    const p0 = this.prefix(key, at, len, 0);
    return this.compareUserKey(n, key, at, len, p0, this.prefix(key, at, len, 4)) === 0;
  }

  /** Node `n`'s sequence number. */
  sequence(n: number): number {
    return (this.nodes[n + HI_KIND] >>> 8) * TWO_POW_32 + (this.nodes[n + SEQ_LO] >>> 0);
  }

  /** Node `n`'s kind byte. */
  kind(n: number): number {
    return this.nodes[n + HI_KIND] & 0xff;
  }

  /** A view of node `n`'s user key inside the arena. */
  keyView(n: number): Uint8Array {
    const start = this.nodes[n + OFFSET];
    return this.arena.chunks[this.nodes[n + CHUNK]].subarray(start, start + this.nodes[n + KEY_LEN]);
  }

  /** A view of node `n`'s value inside the arena. */
  valueView(n: number): Uint8Array {
    const nodes = this.nodes;
    const start = nodes[n + OFFSET] + nodes[n + KEY_LEN];
    return this.arena.chunks[nodes[n + CHUNK]].subarray(start, start + nodes[n + VALUE_LEN]);
  }

  /**
   * Copies node `n`'s entry into `out` at `at` as its internal key (the user key, then the 8-byte
   * trailer of its sequence and kind) followed by its value, with no allocation; returns the offset
   * after the value. REQUIRES: room for {@link SkipList.entryBytes} bytes.
   */
  copyEntry(n: number, out: Uint8Array, at: number): number {
    const nodes = this.nodes;
    const chunk = this.arena.chunks[nodes[n + CHUNK]];
    const start = nodes[n + OFFSET];
    const keyLength = nodes[n + KEY_LEN];
    const valueLength = nodes[n + VALUE_LEN];
    copyRange(chunk, start, keyLength, out, at);
    const trailerAt = at + keyLength;
    encodeTrailer(out, trailerAt, this.sequence(n), this.kind(n) as ValueKind);
    copyRange(chunk, start + keyLength, valueLength, out, trailerAt + TRAILER_SIZE);
    return trailerAt + TRAILER_SIZE + valueLength;
  }

  /** Node `n`'s value length. */
  valueLength(n: number): number {
    return this.nodes[n + VALUE_LEN];
  }

  /** Bytes {@link SkipList.copyEntry} writes for node `n`. */
  entryBytes(n: number): number {
    return this.nodes[n + KEY_LEN] + TRAILER_SIZE + this.nodes[n + VALUE_LEN];
  }

  /** The next node at level 0 (HEAD at the end); `next(HEAD)` is the first node. */
  next(n: number): number {
    return this.nodes[n + NEXT];
  }

  /** The previous node at level 0 (HEAD at the start); `prev(HEAD)` is the last node. */
  prev(n: number): number {
    return this.nodes[n + PREV];
  }

  /**
   * Grows by half (not doubling): less idle capacity in a full memtable, at a little more copying.
   * A memtable sized up front (see `SkipListMemTable`'s `expectedBytes`) grows only when its entries
   * are smaller than it assumed; each growth copies the whole array in one step (5–7 ms at 4–9 MB).
   */
  private grow(needed: number): void {
    let size = Math.ceil(this.nodes.length * 1.5);
    while (size < needed) size = Math.ceil(size * 1.5);
    const bigger = new Int32Array(size);
    bigger.set(this.nodes);
    this.nodes = bigger;
  }
}

/** Copies `src[start, start + n)` to `out` at `at`: a loop for short runs, `set()` for long ones. */
function copyRange(src: Uint8Array, start: number, n: number, out: Uint8Array, at: number): void {
  if (n <= 128) for (let i = 0; i < n; i++) out[at + i] = src[start + i];
  else out.set(src.subarray(start, start + n), at);
}
