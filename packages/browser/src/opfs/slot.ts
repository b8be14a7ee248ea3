/**
 * One slot of the pool: an OPFS file with an open sync access handle, a {@link HEADER_SIZE}-byte
 * header naming the logical file it holds, and the logical file's bytes after it.
 * @module
 */
import { fromDomError, quotaError } from './dom-errors.js';
import type { SyncAccessHandle } from './opfs-types.js';
import { HEADER_SIZE, type SlotHeader, decodeSlotHeader, encodeSlotHeader } from './slot-header.js';

/** Bytes used by the pool, and the optional limit on them (for tests of a full quota). */
export interface ByteBudget {
  /** Bytes currently in the pool's slot files. */
  used: number;
  /** Limit on `used`; writes beyond it fail as a full quota would. */
  limit: number;
}

/** A pre-opened OPFS file that holds one logical file or directory, or nothing (free). */
export class Slot {
  /** What the slot holds; undefined when free. */
  header: SlotHeader | undefined;
  /** Open readers and writers of the logical file; a removed slot is reused only when this is 0. */
  openCount = 0;
  /** Set when the logical file was removed while still open: the slot is freed at the last close. */
  removed = false;
  private fileSize: number;

  /** Wraps an open handle; `header` is what was decoded from it. */
  constructor(
    /** The slot file's name in the pool directory. */
    readonly name: string,
    private readonly handle: SyncAccessHandle,
    header: SlotHeader | undefined,
    private readonly budget: ByteBudget,
  ) {
    this.header = header;
    this.fileSize = handle.getSize();
  }

  /** The logical path, for error messages. */
  private get path(): string {
    return this.header?.path ?? this.name;
  }

  /** Size of the logical file's data. */
  get dataSize(): number {
    return Math.max(0, this.fileSize - HEADER_SIZE);
  }

  /** Reads up to `length` data bytes at `offset`; fewer at the end. */
  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.dataSize - offset));
    const out = new Uint8Array(n);
    if (n === 0) return out;
    try {
      const got = this.handle.read(out, { at: HEADER_SIZE + offset });
      return got === n ? out : out.subarray(0, got);
    } catch (error) {
      throw fromDomError(error, this.path);
    }
  }

  /** Writes data bytes at `offset`, failing with `ENOSPC` past the budget or the browser's quota. */
  write(bytes: Uint8Array, offset: number): void {
    this.writeAt(bytes, HEADER_SIZE + offset);
  }

  private writeAt(bytes: Uint8Array, at: number): void {
    const growth = Math.max(0, at + bytes.length - this.fileSize);
    if (this.budget.used + growth > this.budget.limit) throw quotaError(this.path, this.budget.limit);
    let written: number;
    try {
      written = this.handle.write(bytes, { at });
    } catch (error) {
      this.fileSize = this.handle.getSize();
      throw fromDomError(error, this.path);
    }
    this.budget.used += growth;
    this.fileSize = Math.max(this.fileSize, at + bytes.length);
    if (written !== bytes.length) throw quotaError(this.path, this.budget.limit);
  }

  /** Cuts the logical file's data to `size` bytes. */
  truncate(size: number): void {
    try {
      this.handle.truncate(HEADER_SIZE + size);
    } catch (error) {
      throw fromDomError(error, this.path);
    }
    const next = HEADER_SIZE + size;
    this.budget.used += next - this.fileSize;
    this.fileSize = next;
  }

  /** Makes everything written to the slot durable (the fsync of OPFS). */
  flush(): void {
    try {
      this.handle.flush();
    } catch (error) {
      throw fromDomError(error, this.path);
    }
  }

  /** Writes a new header (or the all-zero free header) and flushes it. */
  setHeader(header: SlotHeader | undefined): void {
    this.writeAt(header === undefined ? new Uint8Array(HEADER_SIZE) : encodeSlotHeader(header), 0);
    this.flush();
    this.header = header;
  }

  /**
   * Reads the size and the header anew (another worker's handle may have written the slot), counting
   * the size change against the budget; returns the header on disk (undefined: free). The slot's
   * `header` is left as it was.
   */
  reload(): SlotHeader | undefined {
    const head = new Uint8Array(HEADER_SIZE);
    let size: number;
    try {
      size = this.handle.getSize();
      this.handle.read(head, { at: 0 });
    } catch (error) {
      throw fromDomError(error, this.path);
    }
    this.budget.used += size - this.fileSize;
    this.fileSize = size;
    return decodeSlotHeader(head);
  }

  /** Closes the handle. */
  close(): void {
    this.handle.close();
  }
}
