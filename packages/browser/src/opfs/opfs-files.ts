/**
 * The open-file objects of an {@link OpfsFileSystem}: a buffered appender and a positional reader,
 * both over one {@link Slot}.
 * @module
 */
import { type RandomAccessFile, VelocityError, type WritableFile } from '@velocity/core';
import type { Flusher } from './flusher.js';
import type { Slot } from './slot.js';

/** Appends are gathered up to this many bytes before one `write()` (each call costs tens of µs). */
const APPEND_BUFFER = 64 * 1024;

function closedFile(path: string): VelocityError {
  return new VelocityError('IO_ERROR', `file is closed: ${path}`, { errno: 'EBADF', path });
}

/** A {@link WritableFile} that buffers appends and writes them out in large chunks. */
export class OpfsWritableFile implements WritableFile {
  private buffer = new Uint8Array(APPEND_BUFFER);
  private buffered = 0;
  private written: number;
  private closed = false;

  /**
   * `sync()` off this thread (present when the file system has a {@link Flusher}): flushes the
   * buffered bytes here, then resolves once the helper's `flush()` made them durable.
   */
  readonly syncAsync?: () => Promise<void>;

  /** Opens the slot's logical file for appending after its current data. */
  constructor(
    readonly path: string,
    private readonly slot: Slot,
    private readonly onClose: () => void,
    flusher?: Flusher,
  ) {
    this.written = slot.dataSize;
    if (flusher !== undefined) {
      this.syncAsync = () => {
        try {
          this.flush();
        } catch (error) {
          return Promise.reject(error);
        }
        return flusher.flush(slot, path);
      };
    }
  }

  get size(): number {
    return this.written + this.buffered;
  }

  append(data: Uint8Array): void {
    if (this.closed) throw closedFile(this.path);
    if (this.buffered + data.length > this.buffer.length) this.flush();
    if (data.length >= this.buffer.length) {
      this.slot.write(data, this.written);
      this.written += data.length;
      return;
    }
    this.buffer.set(data, this.buffered);
    this.buffered += data.length;
  }

  flush(): void {
    if (this.closed) throw closedFile(this.path);
    if (this.buffered === 0) return;
    this.slot.write(this.buffer.subarray(0, this.buffered), this.written);
    this.written += this.buffered;
    this.buffered = 0;
  }

  sync(): void {
    this.flush();
    this.slot.flush();
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.onClose();
    }
  }
}

/** A {@link RandomAccessFile} over a slot. */
export class OpfsReadableFile implements RandomAccessFile {
  readonly size: number;
  private closed = false;

  /** Opens the slot's logical file for reads; `size` is its size now. */
  constructor(
    readonly path: string,
    private readonly slot: Slot,
    private readonly onClose: () => void,
  ) {
    this.size = slot.dataSize;
  }

  read(offset: number, length: number): Uint8Array {
    if (this.closed) throw closedFile(this.path);
    return this.slot.read(offset, length);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}
