/**
 * The cursor contract shared by memtables, blocks, tables, merging iterators and the database.
 *
 * A new iterator is not positioned (`valid()` is false) until one of the seek methods is called.
 * `key()` and `value()` return views that stay valid until the iterator moves; copy them to keep them.
 * Errors met while reading (a corrupt block, an I/O failure) are thrown by the method that met them.
 */
export interface SeekableIterator {
  /** True when positioned at an entry. */
  valid(): boolean;
  /** Positions at the first entry, if any. */
  seekToFirst(): void;
  /** Positions at the last entry, if any. */
  seekToLast(): void;
  /** Positions at the first entry with key >= `target` (in the iterator's order), if any. */
  seek(target: Uint8Array): void;
  /** Moves to the next entry. REQUIRES: `valid()`. */
  next(): void;
  /** Moves to the previous entry. REQUIRES: `valid()`. */
  prev(): void;
  /** The current key. REQUIRES: `valid()`. */
  key(): Uint8Array;
  /** The current value. REQUIRES: `valid()`. */
  value(): Uint8Array;
  /** Releases resources (file handles, pinned blocks). Safe to call twice. Optional. */
  close?(): void;
}

/** An iterator over an empty sequence, optionally failing with `error` on every positioning call. */
export class EmptyIterator implements SeekableIterator {
  constructor(private readonly error?: Error) {}
  valid(): boolean {
    return false;
  }
  private check(): void {
    if (this.error) throw this.error;
  }
  seekToFirst(): void {
    this.check();
  }
  seekToLast(): void {
    this.check();
  }
  seek(_target: Uint8Array): void {
    this.check();
  }
  next(): void {
    throw new Error('EmptyIterator.next: not valid');
  }
  prev(): void {
    throw new Error('EmptyIterator.prev: not valid');
  }
  key(): Uint8Array {
    throw new Error('EmptyIterator.key: not valid');
  }
  value(): Uint8Array {
    throw new Error('EmptyIterator.value: not valid');
  }
  close(): void {}
}
