import {
  encodeTrailer,
  extractSequence,
  invalidArgument,
  type SeekableIterator,
  TRAILER_SIZE,
  type ValueKind,
} from '@velocity/core';
import { HEAD, type SkipList } from './skip-list.js';

/**
 * A cursor over a {@link SkipList} in internal key order. Its position is a node number, which stays
 * meaningful while entries are added (nodes never move), so the iterator keeps working across inserts
 * before or after it and sees them when it walks over their place.
 *
 * `key()` builds the internal key (user key + 8-byte trailer) on first use at a position and caches it;
 * `value()` is a view into the memtable's arena, also cached. Reading only values allocates no keys.
 */
export class SkipListIterator implements SeekableIterator {
  private node = HEAD;
  private keyNode = HEAD;
  private cachedKey: Uint8Array | undefined;
  private valueNode = HEAD;
  private cachedValue: Uint8Array | undefined;

  constructor(private readonly list: SkipList) {}

  valid(): boolean {
    return this.node !== HEAD;
  }

  seekToFirst(): void {
    this.node = this.list.next(HEAD);
  }

  seekToLast(): void {
    this.node = this.list.prev(HEAD);
  }

  /** Positions at the first entry >= `target`, an internal key. INVALID_ARGUMENT if shorter than 8 bytes. */
  seek(target: Uint8Array): void {
    const userKeyLength = target.length - TRAILER_SIZE;
    if (userKeyLength < 0) throw invalidArgument('seek target is not an internal key (shorter than 8 bytes)');
    const sequence = extractSequence(target);
    this.node = this.list.findGreaterOrEqual(
      target,
      0,
      userKeyLength,
      sequence,
      target[userKeyLength],
      false,
    );
  }

  next(): void {
    this.requireValid();
    this.node = this.list.next(this.node);
  }

  prev(): void {
    this.requireValid();
    this.node = this.list.prev(this.node);
  }

  key(): Uint8Array {
    const n = this.node;
    if (this.keyNode === n && this.cachedKey !== undefined) return this.cachedKey;
    this.requireValid();
    const list = this.list;
    const userKey = list.keyView(n);
    const out = new Uint8Array(userKey.length + TRAILER_SIZE);
    out.set(userKey);
    encodeTrailer(out, userKey.length, list.sequence(n), list.kind(n) as ValueKind);
    this.keyNode = n;
    this.cachedKey = out;
    return out;
  }

  value(): Uint8Array {
    const n = this.node;
    if (this.valueNode === n && this.cachedValue !== undefined) return this.cachedValue;
    this.requireValid();
    this.valueNode = n;
    this.cachedValue = this.list.valueView(n);
    return this.cachedValue;
  }

  /** Nothing to release; present for symmetry with table iterators. */
  close(): void {}

  private requireValid(): void {
    if (this.node === HEAD) throw invalidArgument('memtable iterator is not positioned at an entry');
  }
}
