import type { SeekableIterator } from '@velocity/core';

/**
 * Iterates over a sequence of data blocks through an index: the index iterator's values are block
 * handles, `openBlock` turns one into an iterator over that block. Empty blocks are skipped in both
 * directions. Errors from `openBlock` (a corrupt block) surface from the call that met them.
 */
export class TwoLevelIterator implements SeekableIterator {
  private data: SeekableIterator | undefined;
  /** The index value the current data iterator was opened from. */
  private dataHandle: Uint8Array | undefined;

  constructor(
    private readonly index: SeekableIterator,
    private readonly openBlock: (handle: Uint8Array) => SeekableIterator,
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
    this.index.seekToFirst();
    this.initDataBlock();
    this.data?.seekToFirst();
    this.skipEmptyForward();
  }

  seekToLast(): void {
    this.index.seekToLast();
    this.initDataBlock();
    this.data?.seekToLast();
    this.skipEmptyBackward();
  }

  seek(target: Uint8Array): void {
    this.index.seek(target);
    this.initDataBlock();
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
    this.dataHandle = undefined;
  }

  private skipEmptyForward(): void {
    while (this.data === undefined || !this.data.valid()) {
      if (!this.index.valid()) {
        this.data = undefined;
        return;
      }
      this.index.next();
      this.initDataBlock();
      this.data?.seekToFirst();
    }
  }

  private skipEmptyBackward(): void {
    while (this.data === undefined || !this.data.valid()) {
      if (!this.index.valid()) {
        this.data = undefined;
        return;
      }
      this.index.prev();
      this.initDataBlock();
      this.data?.seekToLast();
    }
  }

  /** Opens the block the index points at, reusing the current one when it is the same block. */
  private initDataBlock(): void {
    if (!this.index.valid()) {
      this.data = undefined;
      this.dataHandle = undefined;
      return;
    }
    const handle = this.index.value();
    if (this.data !== undefined && this.dataHandle !== undefined && sameBytes(handle, this.dataHandle))
      return;
    this.data = undefined;
    this.dataHandle = undefined;
    const data = this.openBlock(handle);
    this.dataHandle = handle.slice();
    this.data = data;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
