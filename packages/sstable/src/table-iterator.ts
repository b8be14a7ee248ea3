import type { SeekableIterator } from '@velocity/core';
import type { TableIndex } from './table-index.js';

/**
 * Iterates over a table's data blocks in order through its decoded {@link TableIndex}: `openBlock(i)`
 * returns an iterator over data block `i`. Empty blocks are skipped in both directions. Errors from
 * `openBlock` (a corrupt block) surface from the call that met them.
 */
export class TableIterator implements SeekableIterator {
  private data: SeekableIterator | undefined;
  /** The block `data` iterates over; -1 for none. */
  private block = -1;

  constructor(
    private readonly index: TableIndex,
    private readonly openBlock: (block: number) => SeekableIterator,
  ) {}

  valid(): boolean {
    return this.data?.valid() === true;
  }

  key(): Uint8Array {
    return (this.data as SeekableIterator).key();
  }

  value(): Uint8Array {
    return (this.data as SeekableIterator).value();
  }

  seekToFirst(): void {
    this.open(0);
    this.data?.seekToFirst();
    this.skipEmptyForward();
  }

  seekToLast(): void {
    this.open(this.index.length - 1);
    this.data?.seekToLast();
    this.skipEmptyBackward();
  }

  seek(target: Uint8Array): void {
    this.open(this.index.find(target));
    this.data?.seek(target);
    this.skipEmptyForward();
  }

  next(): void {
    (this.data as SeekableIterator).next();
    this.skipEmptyForward();
  }

  prev(): void {
    (this.data as SeekableIterator).prev();
    this.skipEmptyBackward();
  }

  close(): void {
    this.data = undefined;
    this.block = -1;
  }

  private skipEmptyForward(): void {
    while (this.data !== undefined && !this.data.valid()) {
      this.open(this.block + 1);
      this.data?.seekToFirst();
    }
  }

  private skipEmptyBackward(): void {
    while (this.data !== undefined && !this.data.valid()) {
      this.open(this.block - 1);
      this.data?.seekToLast();
    }
  }

  /** Opens block `i` (none when out of range), reusing the current iterator when it is that block. */
  private open(i: number): void {
    if (i < 0 || i >= this.index.length) {
      this.data = undefined;
      this.block = -1;
      return;
    }
    if (i === this.block && this.data !== undefined) return;
    this.data = undefined;
    this.block = -1;
    this.data = this.openBlock(i);
    this.block = i;
  }
}
