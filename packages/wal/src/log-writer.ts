import { type WritableFile, crc32cExtend, encodeFixed32, maskCrc } from '@velocity/core';
import { BLOCK_SIZE, FragmentType, HEADER_SIZE } from './format.js';

const TYPE_BYTE = new Uint8Array(1);

/**
 * Appends records to a log file in the block format of docs/formats/wal.md. Each record is framed
 * into one buffer and handed to the file with a single `append`, so a record is never half-buffered.
 * Bytes reach the operating system on `flush()` and the disk on `sync()`.
 *
 * @example
 * ```ts
 * import { MemoryFileSystem, utf8 } from '@velocity/core';
 * import { LogWriter } from '@velocity/wal';
 * const fs = new MemoryFileSystem();
 * fs.mkdir('/db');
 * const log = new LogWriter(fs.openWritable('/db/000001.log'));
 * log.addRecord(utf8('hello'));
 * log.sync();
 * ```
 */
export class LogWriter {
  private blockOffset: number;
  private written: number;
  private frame = new Uint8Array(4096);

  /**
   * @param file where records go.
   * @param options.initialOffset the file's current length when reopening a log to append to it.
   */
  constructor(
    private readonly file: WritableFile,
    options: { initialOffset?: number } = {},
  ) {
    this.written = options.initialOffset ?? 0;
    this.blockOffset = this.written % BLOCK_SIZE;
  }

  /** Bytes in the log so far. */
  get size(): number {
    return this.written;
  }

  /** Frames `data` (any length, including empty) and appends it. */
  addRecord(data: Uint8Array): void {
    // Upper bound of the framed size: payload, one header per block touched, and one trailer.
    const bound =
      data.length + HEADER_SIZE * (Math.ceil(data.length / (BLOCK_SIZE - HEADER_SIZE)) + 2) + HEADER_SIZE;
    if (this.frame.length < bound) this.frame = new Uint8Array(Math.max(bound, this.frame.length * 2));
    const frame = this.frame;
    let pos = 0;
    let left = data.length;
    let offset = 0;
    let begin = true;
    do {
      const leftover = BLOCK_SIZE - this.blockOffset;
      if (leftover < HEADER_SIZE) {
        frame.fill(0, pos, pos + leftover);
        pos += leftover;
        this.blockOffset = 0;
      }
      const avail = BLOCK_SIZE - this.blockOffset - HEADER_SIZE;
      const length = left < avail ? left : avail;
      const end = left === length;
      const type =
        begin && end
          ? FragmentType.Full
          : begin
            ? FragmentType.First
            : end
              ? FragmentType.Last
              : FragmentType.Middle;
      TYPE_BYTE[0] = type;
      let crc = crc32cExtend(0, TYPE_BYTE);
      crc = crc32cExtend(crc, data, offset, offset + length);
      encodeFixed32(frame, pos, maskCrc(crc));
      frame[pos + 4] = length & 0xff;
      frame[pos + 5] = length >>> 8;
      frame[pos + 6] = type;
      // The whole record in one fragment (the usual case) is copied without a view of it.
      if (length === data.length) frame.set(data, pos + HEADER_SIZE);
      else frame.set(data.subarray(offset, offset + length), pos + HEADER_SIZE);
      pos += HEADER_SIZE + length;
      this.blockOffset += HEADER_SIZE + length;
      offset += length;
      left -= length;
      begin = false;
    } while (left > 0);
    this.file.append(frame.subarray(0, pos));
    this.written += pos;
  }

  /** Hands appended records to the operating system (they survive a process kill). */
  flush(): void {
    this.file.flush();
  }

  /** Makes appended records durable (they survive power loss). */
  sync(): void {
    this.file.sync();
  }

  /** True when {@link LogWriter.syncAsync} runs off the calling thread (the file has `syncAsync`). */
  get syncsAsynchronously(): boolean {
    return this.file.syncAsync !== undefined;
  }

  /**
   * Like {@link LogWriter.sync}, off the calling thread where the file allows: records added before
   * the call are durable when it resolves. Add no record until it settled.
   */
  syncAsync(): Promise<void> {
    if (this.file.syncAsync !== undefined) return this.file.syncAsync();
    try {
      this.file.sync();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Flushes and closes the file (does not sync). */
  close(): void {
    this.file.close();
  }
}
