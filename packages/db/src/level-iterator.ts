/**
 * A cursor over a run of table files sorted by key (a level >= 1, or a single file), opening each
 * table only when the cursor reaches it.
 * @module
 */
import type { InternalKeyComparator, SeekableIterator } from '@velocity/core';
import type { TableReader } from '@velocity/sstable';
import type { TableFile } from './file-meta.js';
import type { TableCache } from './table-cache.js';

/** Concatenates the tables of `files` (sorted, non-overlapping) into one cursor over internal keys. */
export class LevelIterator implements SeekableIterator {
  private index = -1;
  private iter: SeekableIterator | undefined;
  private reader: TableReader | undefined;
  private closed = false;

  constructor(
    private readonly icmp: InternalKeyComparator,
    private readonly files: readonly TableFile[],
    private readonly tables: TableCache,
  ) {}

  valid(): boolean {
    return this.iter?.valid() === true;
  }

  seekToFirst(): void {
    if (!this.open(0)) return;
    this.iter!.seekToFirst();
    this.skipForward();
  }

  seekToLast(): void {
    if (!this.open(this.files.length - 1)) return;
    this.iter!.seekToLast();
    this.skipBackward();
  }

  seek(target: Uint8Array): void {
    const files = this.files;
    let lo = 0;
    let hi = files.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.icmp.compare(files[mid].largest, target) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (!this.open(lo)) return;
    this.iter!.seek(target);
    this.skipForward();
  }

  next(): void {
    this.iter!.next();
    this.skipForward();
  }

  prev(): void {
    this.iter!.prev();
    this.skipBackward();
  }

  key(): Uint8Array {
    return this.iter!.key();
  }

  value(): Uint8Array {
    return this.iter!.value();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }

  private skipForward(): void {
    while (!this.iter!.valid()) {
      if (!this.open(this.index + 1)) return;
      this.iter!.seekToFirst();
    }
  }

  private skipBackward(): void {
    while (!this.iter!.valid()) {
      if (!this.open(this.index - 1)) return;
      this.iter!.seekToLast();
    }
  }

  /** Positions on file `i`; false (and invalid) when there is no such file. */
  private open(i: number): boolean {
    if (i === this.index && this.iter !== undefined) return true;
    this.release();
    if (this.closed || i < 0 || i >= this.files.length) return false;
    const reader = this.tables.pin(this.files[i]);
    this.reader = reader;
    this.index = i;
    this.iter = reader.iterator();
    return true;
  }

  private release(): void {
    if (this.iter !== undefined) {
      this.iter.close?.();
      this.iter = undefined;
    }
    if (this.reader !== undefined) {
      this.tables.unpin(this.files[this.index].id, this.reader);
      this.reader = undefined;
    }
    this.index = -1;
  }
}
