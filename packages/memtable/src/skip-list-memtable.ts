import {
  bytewiseComparator,
  type Comparator,
  compareBytes,
  decodeExpiry,
  EXPIRY_PREFIX_SIZE,
  invalidArgument,
  MAX_SEQUENCE,
  type SeekableIterator,
  ValueKind,
} from '@velocity/core';
import type { EntryCopier, MemTable, MemTableLookup } from './memtable.js';
import { KeyFilter } from './key-filter.js';
import { HEAD, KIND_MAX, SkipList } from './skip-list.js';
import { SkipListIterator } from './skip-list-iterator.js';

/** Fixed bytes of an empty memtable outside its arrays (objects, scratch space), for the estimate. */
const FIXED_OVERHEAD = 512;
/**
 * The entry a memtable of `expectedBytes` is sized for: 64 bytes of key and value plus its ~47-byte
 * node record. Larger entries leave some of the reservation unused (address space: a large typed
 * array's untouched pages are mapped on demand); smaller ones grow the node array and the key filter
 * once or twice, as every memtable did before.
 */
const RESERVED_ENTRY_BYTES = 64 + 47;
/** Node-record words reserved per entry: 9 fixed and 2 per level, ~1.33 levels on average. */
const RESERVED_ENTRY_WORDS = 12;

/** Options of {@link SkipListMemTable}. */
export interface SkipListMemTableOptions {
  /** The memory estimate at which this memtable will be flushed (see the constructor). */
  expectedBytes?: number;
}

/**
 * The default memtable: a skip list (branching 4, at most 12 levels, deterministic heights) whose
 * nodes live in parallel typed arrays and whose keys and values are copied into a chunked arena. An
 * entry costs its key and value bytes plus about 47 bytes of structure, and creates no JavaScript
 * object, so a full memtable gives the garbage collector almost nothing to trace.
 *
 * Ownership: `add` copies `userKey` and `value` into the arena (one `set()` each) and keeps no
 * reference to them, so callers may reuse or mutate their arrays afterwards. Copying ~100 bytes is
 * cheaper than retaining two small `Uint8Array` objects per entry (measured in bench/memtable.mjs).
 * Values returned by `get` and iterators are views into the arena: valid as long as the memtable,
 * and must not be written to.
 *
 * One writer adds while readers (gets, iterators) run in the same thread between adds. Iterators stay
 * valid across adds and see entries added at positions they have not passed yet.
 *
 * @example
 * ```ts
 * import { utf8, ValueKind } from '@velocity/core';
 * import { SkipListMemTable } from '@velocity/memtable';
 * const mem = new SkipListMemTable();
 * mem.add(1, ValueKind.Put, utf8('k'), utf8('v1'));
 * mem.add(2, ValueKind.Delete, utf8('k'), new Uint8Array(0));
 * mem.get(utf8('k'), 1); // { kind: 'put', value: 'v1' bytes, sequence: 1 }
 * mem.get(utf8('k'), 2); // { kind: 'delete', sequence: 2 }
 * ```
 */
export class SkipListMemTable implements MemTable {
  private readonly list: SkipList;
  /** The user keys added, for lookups of absent keys (bytewise order only: see `KeyFilter`). */
  private readonly filter: KeyFilter | undefined;

  /**
   * @param userComparator orders user keys; the bytewise default takes a fast path with no allocation.
   * @param options `expectedBytes`: the size at which the owner flushes this memtable (its
   * `approximateMemoryUsage`). Given, the node records and the key filter are reserved up front for
   * entries of 64 bytes of key and value or more, so they do not grow while it fills: each growth
   * copied or rebuilt them in one step, which at 16 MiB held the event loop for 2–7 ms (records) and
   * 5–14 ms (filter) several times per memtable.
   */
  constructor(
    readonly userComparator: Comparator = bytewiseComparator,
    options: SkipListMemTableOptions = {},
  ) {
    const entries = Math.ceil((options.expectedBytes ?? 0) / RESERVED_ENTRY_BYTES);
    this.list = new SkipList(userComparator, entries * RESERVED_ENTRY_WORDS);
    this.filter = userComparator.compare === compareBytes ? new KeyFilter(entries) : undefined;
  }

  /** Number of entries added. */
  get count(): number {
    return this.list.count;
  }

  /**
   * Adds an entry, copying `userKey` and `value` (the value is ignored for deletions). Throws
   * `INVALID_ARGUMENT` for a sequence outside 0..MAX_SEQUENCE, an unknown kind, or a (user key,
   * sequence) pair that is already present.
   */
  add(sequence: number, kind: ValueKind, userKey: Uint8Array, value: Uint8Array): void {
    this.addFrom(sequence, kind, userKey, 0, userKey.length, value, 0, value.length);
  }

  /**
   * {@link SkipListMemTable.add} of the user key `key[keyStart, keyEnd)` and the value
   * `value[valueStart, valueEnd)`, without views of either (the write path passes one write batch
   * for both: two views per put were 16% of the bytes a loop of awaited puts allocated).
   */
  addFrom(
    sequence: number,
    kind: ValueKind,
    key: Uint8Array,
    keyStart: number,
    keyEnd: number,
    value: Uint8Array,
    valueStart: number,
    valueEnd: number,
  ): void {
    if (!(sequence >= 0 && sequence <= MAX_SEQUENCE && Math.floor(sequence) === sequence)) {
      throw invalidArgument(`sequence must be an integer in 0..${MAX_SEQUENCE}, got ${sequence}`);
    }
    if (kind !== ValueKind.Put && kind !== ValueKind.Delete && kind !== ValueKind.PutWithExpiry)
      throw invalidArgument(`unknown value kind ${kind}`);
    const valueLength = kind === ValueKind.Delete ? 0 : valueEnd - valueStart;
    if (kind === ValueKind.PutWithExpiry && valueLength < EXPIRY_PREFIX_SIZE)
      throw invalidArgument('a put with expiry needs its 8-byte expiry prefix');
    const keyLength = keyEnd - keyStart;
    this.list.insert(key, keyStart, keyLength, sequence, kind, value, valueStart, valueLength);
    this.filter?.addRange(key, keyStart, keyEnd);
  }

  /** The newest version of `userKey` with sequence <= `sequence`, or undefined if there is none. */
  get(userKey: Uint8Array, sequence: number): MemTableLookup | undefined {
    if (this.filter !== undefined && !this.filter.mayContain(userKey)) return undefined;
    const list = this.list;
    const n = list.findGreaterOrEqual(userKey, 0, userKey.length, sequence, KIND_MAX, false);
    if (n === HEAD || !list.userKeyEquals(n, userKey)) return undefined;
    const found = list.sequence(n);
    const kind = list.kind(n);
    if (kind === ValueKind.Put) return { kind: 'put', value: list.valueView(n), sequence: found };
    if (kind === ValueKind.Delete) return { kind: 'delete', sequence: found };
    const stored = list.valueView(n);
    return {
      kind: 'put',
      value: stored.subarray(EXPIRY_PREFIX_SIZE),
      sequence: found,
      expiresAt: decodeExpiry(stored),
    };
  }

  /** A cursor copying every entry, in order, into flat buffers (for flushes of a frozen memtable). */
  entryCopier(): EntryCopier {
    const list = this.list;
    let node = list.next(HEAD);
    let keyEnd = 0;
    return {
      nextBytes: () => (node === HEAD ? -1 : list.entryBytes(node)),
      copyNext: (out, at) => {
        keyEnd = at + list.entryBytes(node) - list.valueLength(node);
        const end = list.copyEntry(node, out, at);
        node = list.next(node);
        return end;
      },
      get keyEnd() {
        return keyEnd;
      },
    };
  }

  /** A new cursor over internal keys (forward, backward, seek), valid across later adds. */
  iterator(): SeekableIterator {
    return new SkipListIterator(this.list);
  }

  /**
   * Bytes held: the arena's chunks (key and value bytes plus the unused tail of the current chunk),
   * the node records in use (36 bytes per node plus 8 per level, about 1.33 levels per node: ~47
   * bytes; the array's unused tail is not counted), the key filter (about 6 bytes per key, more
   * when sized up front) and a fixed 512 bytes.
   */
  approximateMemoryUsage(): number {
    return this.list.memoryUsage() + (this.filter?.byteSize ?? 0) + FIXED_OVERHEAD;
  }
}
