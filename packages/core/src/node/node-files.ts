import * as fs from 'node:fs';
import { VelocityError } from '../errors.js';
import type { RandomAccessFile, WritableFile } from '../fs/file-system.js';
import { fromNodeError, nodeCall } from './errors.js';

/** Appends are gathered in the process up to this many bytes before a write system call. */
const BUFFER_SIZE = 64 * 1024;

/**
 * A file opened for appending with `fs.writeSync`. Small appends are copied into a 64 KiB buffer and
 * written on `flush()`, `sync()`, `close()` or when the buffer fills; large appends are written
 * directly. `sync()` uses `fdatasync`.
 *
 * A failed write or fdatasync fails the file for good: the bytes still buffered are dropped (a
 * write the caller was told failed must not reach the file later, at `close()`), every later
 * `append`, `flush` and `sync` throws the same error, and `close()` only releases the descriptor.
 */
export class NodeWritableFile implements WritableFile {
  private buffer = Buffer.allocUnsafe(BUFFER_SIZE);
  private buffered = 0;
  private written: number;
  private fd: number | undefined;
  /** The first write or sync failure; the file refuses work from then on. */
  private failure: VelocityError | undefined;

  constructor(
    readonly path: string,
    append: boolean,
  ) {
    this.fd = nodeCall('open', path, () => fs.openSync(path, append ? 'a' : 'w'));
    this.written = append ? nodeCall('stat', path, () => fs.fstatSync(this.fd as number).size) : 0;
  }

  get size(): number {
    return this.written + this.buffered;
  }

  private requireOpen(): number {
    if (this.fd === undefined)
      throw new VelocityError('CLOSED', `file is closed: ${this.path}`, { path: this.path });
    if (this.failure !== undefined) throw this.failure;
    return this.fd;
  }

  /** Runs a sync call; a failure fails the file (see the class comment). */
  private guarded(call: () => void): void {
    try {
      call();
    } catch (error) {
      throw this.failed(error, 'fdatasync');
    }
  }

  /** Fails the file with `error` (see the class comment) and returns the error to throw. */
  private failed(error: unknown, operation: string): VelocityError {
    this.buffered = 0;
    this.failure = error instanceof VelocityError ? error : fromNodeError(error, operation, this.path);
    return this.failure;
  }

  /**
   * Writes `data[0, end)`. No closures and no views: this runs once per group commit, so once per
   * put in a loop of awaited puts.
   */
  private writeAll(fd: number, data: Uint8Array, end: number): void {
    let offset = 0;
    try {
      while (offset < end) offset += fs.writeSync(fd, data, offset, end - offset);
    } catch (error) {
      throw this.failed(error, 'write');
    }
    this.written += end;
  }

  append(data: Uint8Array): void {
    const fd = this.requireOpen();
    if (this.buffered + data.length > BUFFER_SIZE) this.flush();
    if (data.length >= BUFFER_SIZE) {
      this.writeAll(fd, data, data.length);
      return;
    }
    this.buffer.set(data, this.buffered);
    this.buffered += data.length;
  }

  flush(): void {
    if (this.fd === undefined) return;
    if (this.failure !== undefined) throw this.failure;
    if (this.buffered === 0) return;
    this.writeAll(this.fd, this.buffer, this.buffered);
    this.buffered = 0;
  }

  sync(): void {
    const fd = this.requireOpen();
    this.flush();
    this.guarded(() => nodeCall('fdatasync', this.path, () => fs.fdatasyncSync(fd)));
  }

  syncAsync(): Promise<void> {
    let fd: number;
    try {
      fd = this.requireOpen();
      this.flush();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      fs.fdatasync(fd, (error) => {
        if (error === null) return resolve();
        this.failure = fromNodeError(error, 'fdatasync', this.path);
        reject(this.failure);
      });
    });
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    try {
      if (this.failure === undefined) this.flush();
    } finally {
      this.fd = undefined;
      nodeCall('close', this.path, () => fs.closeSync(fd));
    }
  }
}

/** A file opened for positional reads with `fs.readSync`. */
export class NodeRandomAccessFile implements RandomAccessFile {
  readonly size: number;
  private fd: number | undefined;

  constructor(readonly path: string) {
    const fd = nodeCall('open', path, () => fs.openSync(path, 'r'));
    this.fd = fd;
    this.size = nodeCall('stat', path, () => fs.fstatSync(fd).size);
  }

  read(offset: number, length: number): Uint8Array {
    // A plain Uint8Array (not a Buffer, whose slice() would not copy) over memory that is not
    // zero-filled first: every byte returned is overwritten by the read.
    const out = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
    const got = this.readInto(offset, out);
    return got === length ? out : out.subarray(0, got);
  }

  readInto(offset: number, target: Uint8Array): number {
    const fd = this.fd;
    if (fd === undefined)
      throw new VelocityError('CLOSED', `file is closed: ${this.path}`, { path: this.path });
    const length = target.length;
    let got = 0;
    try {
      while (got < length) {
        const n = fs.readSync(fd, target, got, length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
    } catch (error) {
      throw fromNodeError(error, 'read', this.path);
    }
    return got;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    nodeCall('close', this.path, () => fs.closeSync(fd));
  }
}
