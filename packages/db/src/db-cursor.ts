/**
 * The user-visible cursor over the merged internal entries of every source: it hides versions newer
 * than the read's sequence, versions shadowed by newer ones, and deleted keys (a value whose expiry
 * time passed counts as a deletion, and so does a version a newer range tombstone covers), and keeps
 * within bounds. The logic follows LevelDB's `DBIter`: moving forward the inner cursor sits on the current
 * entry; moving backward it sits just before the current key's entries, whose newest visible value has
 * been copied out.
 * @module
 */
import {
  type Comparator,
  EXPIRY_PREFIX_SIZE,
  KIND_FOR_SEEK,
  type SeekableIterator,
  TRAILER_SIZE,
  ValueKind,
  compareByteRanges,
  compareBytes,
  copyBytes,
  extractSequence,
  makeInternalKey,
} from '@velocity/core';
import { isExpired } from './expiry-read.js';
import type { RangeView } from './range-deletions.js';

/** One end of a key range. */
export interface Bound {
  key: Uint8Array;
  inclusive: boolean;
}

/** A growable copy of a key. */
class KeyBuffer {
  buf = new Uint8Array(64);
  length = 0;
  set(src: Uint8Array, n: number): void {
    if (n > this.buf.length) this.buf = new Uint8Array(Math.max(n, this.buf.length * 2));
    this.buf.set(n === src.length ? src : src.subarray(0, n));
    this.length = n;
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

const EMPTY = new Uint8Array(0);

/** See the module description. */
export class DbCursor {
  private isValid = false;
  private forward = true;
  /** Reverse: the current key. Forward: the key whose older versions are being skipped. */
  private readonly saved = new KeyBuffer();
  private savedValue: Uint8Array = EMPTY;
  /** True once `savedValue` was handed to a caller (copy it before handing it out again). */
  private savedValueShared = false;
  private readonly bytewise: boolean;

  constructor(
    private readonly inner: SeekableIterator,
    private readonly ucmp: Comparator,
    private readonly sequence: number,
    private readonly lower: Bound | undefined,
    private readonly upper: Bound | undefined,
    private readonly clock: () => number = Date.now,
    /** The range tombstones of the read's view, when there are any. */
    private readonly ranges: RangeView | undefined = undefined,
  ) {
    this.bytewise = ucmp.compare === compareBytes;
  }

  /** True when positioned at a visible entry within bounds. */
  valid(): boolean {
    return this.isValid;
  }

  /** The current user key (a view, valid until the cursor moves). */
  key(): Uint8Array {
    if (this.forward) {
      const k = this.inner.key();
      return k.subarray(0, k.length - TRAILER_SIZE);
    }
    return this.saved.view();
  }

  /** The current value (a view, valid until the cursor moves). */
  value(): Uint8Array {
    return this.forward ? this.innerValue() : this.savedValue;
  }

  /** The user value at the inner cursor (without an expiry prefix). */
  private innerValue(): Uint8Array {
    const k = this.inner.key();
    const v = this.inner.value();
    return k[k.length - TRAILER_SIZE] === ValueKind.PutWithExpiry ? v.subarray(EXPIRY_PREFIX_SIZE) : v;
  }

  /**
   * True when the inner entry with internal key `ik` reads as deleted: a tombstone, an expired value,
   * or an entry a newer range tombstone covers.
   */
  private hidden(ik: Uint8Array): boolean {
    const kind = ik[ik.length - TRAILER_SIZE];
    const ranges = this.ranges;
    if (
      ranges !== undefined &&
      ranges.coveringSequence(ik.subarray(0, ik.length - TRAILER_SIZE), this.sequence) > extractSequence(ik)
    )
      return true;
    if (kind !== ValueKind.PutWithExpiry) return kind === ValueKind.Delete;
    const v = this.inner.value();
    return isExpired(v, 0, v.length, this.clock);
  }

  /** A copy of the current user key. */
  keyCopy(): Uint8Array {
    if (this.forward) {
      const k = this.inner.key();
      return k.slice(0, k.length - TRAILER_SIZE);
    }
    return this.saved.buf.slice(0, this.saved.length);
  }

  /**
   * A copy of the current value. Moving backward the saved value is already a private copy: the first
   * call hands it over instead of copying it again.
   */
  valueCopy(): Uint8Array {
    if (this.forward) return copyBytes(this.innerValue());
    if (this.savedValueShared) return copyBytes(this.savedValue);
    this.savedValueShared = true;
    return this.savedValue;
  }

  /** Compares the user key of internal key `ik` with the saved key. */
  private compareSaved(ik: Uint8Array): number {
    const n = ik.length - TRAILER_SIZE;
    if (this.bytewise) return compareByteRanges(ik, 0, n, this.saved.buf, 0, this.saved.length);
    return this.ucmp.compare(ik.subarray(0, n), this.saved.view());
  }

  private compareUser(ik: Uint8Array, key: Uint8Array): number {
    const n = ik.length - TRAILER_SIZE;
    if (this.bytewise) return compareByteRanges(ik, 0, n, key, 0, key.length);
    return this.ucmp.compare(ik.subarray(0, n), key);
  }

  /** True when internal key `ik`'s user key lies past the upper bound. */
  private pastUpper(ik: Uint8Array): boolean {
    const upper = this.upper;
    if (upper === undefined) return false;
    const c = this.compareUser(ik, upper.key);
    return upper.inclusive ? c > 0 : c >= 0;
  }

  /** True when the saved key lies before the lower bound. */
  private savedBeforeLower(): boolean {
    const lower = this.lower;
    if (lower === undefined) return false;
    const c = this.ucmp.compare(this.saved.view(), lower.key);
    return lower.inclusive ? c < 0 : c <= 0;
  }

  /** Positions at the first visible key (>= the lower bound). */
  seekToFirst(): void {
    this.forward = true;
    const lower = this.lower;
    if (lower === undefined) {
      this.inner.seekToFirst();
      this.findNextUserEntry(false);
      return;
    }
    this.inner.seek(makeInternalKey(lower.key, this.sequence, KIND_FOR_SEEK));
    if (lower.inclusive) {
      this.findNextUserEntry(false);
    } else {
      this.saved.set(lower.key, lower.key.length);
      this.findNextUserEntry(true);
    }
  }

  /** Positions at the last visible key (<= the upper bound). */
  seekToLast(): void {
    const upper = this.upper;
    if (upper === undefined) this.inner.seekToLast();
    else this.seekBefore(upper.key, upper.inclusive);
    this.forward = false;
    this.findPrevUserEntry();
  }

  /** Positions at the first visible key >= `target` (and within bounds). */
  seek(target: Uint8Array): void {
    const lower = this.lower;
    if (lower !== undefined) {
      const c = this.ucmp.compare(target, lower.key);
      if (c < 0 || (c === 0 && !lower.inclusive)) {
        this.seekToFirst();
        return;
      }
    }
    this.forward = true;
    this.inner.seek(makeInternalKey(target, this.sequence, KIND_FOR_SEEK));
    this.findNextUserEntry(false);
  }

  /** Positions at the last visible key <= `target` (and within bounds). */
  seekForPrev(target: Uint8Array): void {
    const upper = this.upper;
    if (upper !== undefined) {
      const c = this.ucmp.compare(target, upper.key);
      if (c > 0 || (c === 0 && !upper.inclusive)) {
        this.seekToLast();
        return;
      }
    }
    this.seekBefore(target, true);
    this.forward = false;
    this.findPrevUserEntry();
  }

  /** Puts the inner cursor on the last entry whose user key is < `key` (<= when `inclusive`). */
  private seekBefore(key: Uint8Array, inclusive: boolean): void {
    const inner = this.inner;
    if (inclusive) {
      // (key, 0, Delete) is the largest internal key of `key`: seek past every version of it.
      const last = makeInternalKey(key, 0, ValueKind.Delete);
      inner.seek(last);
      if (inner.valid() && compareBytes(inner.key(), last) === 0) inner.next();
    } else {
      inner.seek(makeInternalKey(key, Number.MAX_SAFE_INTEGER, KIND_FOR_SEEK));
    }
    if (inner.valid()) inner.prev();
    else inner.seekToLast();
  }

  /** Moves to the next visible key. REQUIRES: `valid()`. */
  next(): void {
    const inner = this.inner;
    if (!this.forward) {
      this.forward = true;
      // The inner cursor is before the current key's entries: step onto them, then past them.
      if (!inner.valid()) inner.seekToFirst();
      else inner.next();
      this.findNextUserEntry(true);
      return;
    }
    const k = inner.key();
    this.saved.set(k, k.length - TRAILER_SIZE);
    inner.next();
    this.findNextUserEntry(true);
  }

  /** Moves to the previous visible key. REQUIRES: `valid()`. */
  prev(): void {
    const inner = this.inner;
    if (this.forward) {
      const k = inner.key();
      this.saved.set(k, k.length - TRAILER_SIZE);
      for (;;) {
        inner.prev();
        if (!inner.valid()) break;
        if (this.compareSaved(inner.key()) < 0) break;
      }
      this.forward = false;
    }
    this.findPrevUserEntry();
  }

  /**
   * Forward: advances the inner cursor to the next entry that is visible, not deleted and (when
   * `skipping`) after the saved key.
   */
  private findNextUserEntry(skipping: boolean): void {
    const inner = this.inner;
    const sequence = this.sequence;
    while (inner.valid()) {
      const ik = inner.key();
      if (this.pastUpper(ik)) break;
      if (extractSequence(ik) <= sequence) {
        if (this.hidden(ik)) {
          this.saved.set(ik, ik.length - TRAILER_SIZE);
          skipping = true;
        } else if (!skipping || this.compareSaved(ik) > 0) {
          this.isValid = true;
          return;
        }
      }
      inner.next();
    }
    this.isValid = false;
  }

  /**
   * Backward: walks the inner cursor back over the entries of the previous user key, keeping the newest
   * visible one, and stops just before that key's entries.
   */
  private findPrevUserEntry(): void {
    const inner = this.inner;
    const sequence = this.sequence;
    let kind: number = ValueKind.Delete;
    while (inner.valid()) {
      const ik = inner.key();
      // Nothing found yet and already below the range: there is nothing more to find.
      if (kind === ValueKind.Delete && this.lower !== undefined && this.belowLower(ik)) break;
      if (extractSequence(ik) <= sequence) {
        if (kind !== ValueKind.Delete && this.compareSaved(ik) < 0) break;
        kind = this.hidden(ik) ? ValueKind.Delete : ValueKind.Put;
        if (kind === ValueKind.Delete) {
          this.saved.length = 0;
          this.savedValue = EMPTY;
        } else {
          this.saved.set(ik, ik.length - TRAILER_SIZE);
          this.savedValue = copyBytes(this.innerValue());
          this.savedValueShared = false;
        }
      }
      inner.prev();
    }
    if (kind === ValueKind.Delete || this.savedBeforeLower()) {
      this.isValid = false;
      this.forward = true;
      return;
    }
    this.isValid = true;
  }

  private belowLower(ik: Uint8Array): boolean {
    const lower = this.lower!;
    const c = this.compareUser(ik, lower.key);
    return lower.inclusive ? c < 0 : c <= 0;
  }

  /** Closes the inner cursor. */
  close(): void {
    this.inner.close?.();
  }
}
