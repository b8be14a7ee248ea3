import type { Comparator } from './comparator.js';
import type { SeekableIterator } from './iterator.js';

/**
 * Merges several sorted iterators into one sorted view, forward and backward. Children are scanned
 * linearly to find the smallest (or largest) current key: the engine merges a handful of sources
 * (memtables, a few level-0 tables, one iterator per deeper level), where a linear scan beats a heap.
 *
 * When two children are positioned at equal keys, the one given first wins and the other follows it;
 * both entries are yielded (the merge hides nothing: shadowing is the caller's job).
 *
 * Changing direction re-seeks every other child around the current key, as LevelDB's merging iterator
 * does, so `next()` after `prev()` is correct but costs one seek per child.
 */
export class MergingIterator implements SeekableIterator {
  private current = -1;
  private forward = true;

  constructor(
    private readonly comparator: Comparator,
    private readonly children: readonly SeekableIterator[],
  ) {}

  valid(): boolean {
    return this.current >= 0;
  }

  seekToFirst(): void {
    for (const child of this.children) child.seekToFirst();
    this.forward = true;
    this.findSmallest();
  }

  seekToLast(): void {
    for (const child of this.children) child.seekToLast();
    this.forward = false;
    this.findLargest();
  }

  seek(target: Uint8Array): void {
    for (const child of this.children) child.seek(target);
    this.forward = true;
    this.findSmallest();
  }

  next(): void {
    const current = this.children[this.current];
    if (!this.forward) {
      // Every other child is positioned before key(); move each to the first entry after it.
      const key = current.key();
      for (let i = 0; i < this.children.length; i++) {
        if (i === this.current) continue;
        const child = this.children[i];
        child.seek(key);
        if (child.valid() && this.comparator.compare(key, child.key()) === 0) child.next();
      }
      this.forward = true;
    }
    current.next();
    this.findSmallest();
  }

  prev(): void {
    const current = this.children[this.current];
    if (this.forward) {
      // Every other child is positioned at or after key(); move each to the last entry before it.
      const key = current.key();
      for (let i = 0; i < this.children.length; i++) {
        if (i === this.current) continue;
        const child = this.children[i];
        child.seek(key);
        if (child.valid()) child.prev();
        else child.seekToLast();
      }
      this.forward = false;
    }
    current.prev();
    this.findLargest();
  }

  key(): Uint8Array {
    return this.children[this.current].key();
  }

  value(): Uint8Array {
    return this.children[this.current].value();
  }

  /** Closes every child. */
  close(): void {
    for (const child of this.children) child.close?.();
  }

  private findSmallest(): void {
    let best = -1;
    let bestKey: Uint8Array | undefined;
    for (let i = 0; i < this.children.length; i++) {
      const child = this.children[i];
      if (!child.valid()) continue;
      const key = child.key();
      if (bestKey === undefined || this.comparator.compare(key, bestKey) < 0) {
        best = i;
        bestKey = key;
      }
    }
    this.current = best;
  }

  private findLargest(): void {
    let best = -1;
    let bestKey: Uint8Array | undefined;
    for (let i = this.children.length - 1; i >= 0; i--) {
      const child = this.children[i];
      if (!child.valid()) continue;
      const key = child.key();
      if (bestKey === undefined || this.comparator.compare(key, bestKey) > 0) {
        best = i;
        bestKey = key;
      }
    }
    this.current = best;
  }
}

/**
 * A {@link SeekableIterator} over an in-memory sorted array of entries. Useful in tests and for small
 * sources. REQUIRES: `entries` sorted by `comparator` on key.
 */
export class ArrayIterator implements SeekableIterator {
  private index = -1;

  constructor(
    private readonly comparator: Comparator,
    private readonly entries: readonly (readonly [Uint8Array, Uint8Array])[],
  ) {}

  valid(): boolean {
    return this.index >= 0 && this.index < this.entries.length;
  }
  seekToFirst(): void {
    this.index = 0;
  }
  seekToLast(): void {
    this.index = this.entries.length - 1;
  }
  seek(target: Uint8Array): void {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.comparator.compare(this.entries[mid][0], target) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.index = lo;
  }
  next(): void {
    this.index++;
  }
  prev(): void {
    this.index = this.index <= 0 ? -1 : this.index - 1;
  }
  key(): Uint8Array {
    return this.entries[this.index][0];
  }
  value(): Uint8Array {
    return this.entries[this.index][1];
  }
}
