/**
 * The file system of one job in the merge worker: the input tables on this worker's own handles of
 * their slot files, and output files in the free slots the database worker lent to the job. It holds
 * no directory of its own: the database worker's `OpfsFileSystem` owns the pool and takes the outputs
 * over (from their headers on disk) once the job answered.
 * @module
 */
import {
  type FileLock,
  type FileSystem,
  type RandomAccessFile,
  VelocityError,
  type WritableFile,
} from '@velocity/core';
import { OutOfFileNumbersError } from '@velocity/db/compaction-worker';
import { OpfsReadableFile, OpfsWritableFile } from '../opfs/opfs-files.js';
import type { ByteBudget, Slot } from '../opfs/slot.js';

/** A lent slot, open here, and the generation its header gets. */
export interface OpenLentSlot {
  /** The slot, on this worker's handle. */
  slot: Slot;
  /** The generation of its header when claimed. */
  generation: number;
}

/** A table file held in memory. */
class BytesFile implements RandomAccessFile {
  constructor(
    readonly path: string,
    private readonly bytes: Uint8Array,
  ) {}

  get size(): number {
    return this.bytes.length;
  }

  read(offset: number, length: number): Uint8Array {
    return this.bytes.slice(offset, Math.min(this.bytes.length, offset + length));
  }

  readInto(offset: number, target: Uint8Array): number {
    const part = this.bytes.subarray(offset, Math.min(this.bytes.length, offset + target.length));
    target.set(part);
    return part.length;
  }

  close(): void {}
}

function unsupported(what: string): VelocityError {
  return new VelocityError('INVALID_ARGUMENT', `${what} is not available in the merge worker`);
}

/** Files of one job (see the module comment). Only what merges and table writes use is supported. */
export class LentFileSystem implements FileSystem {
  private readonly spare: OpenLentSlot[] = [];
  private readonly outputs = new Map<string, Slot>();

  constructor(
    /** Input tables by path. */
    private readonly inputs: ReadonlyMap<string, Slot>,
    /** The job's byte budget (shared by its slots). */
    readonly budget: ByteBudget,
  ) {}

  /** Lent slots not claimed yet. */
  get spareCount(): number {
    return this.spare.length;
  }

  /** Adds lent slots. */
  lend(slots: readonly OpenLentSlot[]): void {
    this.spare.push(...slots);
  }

  private slot(path: string): Slot {
    const slot = this.outputs.get(path) ?? this.inputs.get(path);
    if (slot === undefined) {
      throw new VelocityError('NOT_FOUND', `no such file: ${path}`, { path, errno: 'ENOENT' });
    }
    return slot;
  }

  openWritable(path: string): WritableFile {
    if (this.outputs.has(path) || this.inputs.has(path)) throw unsupported(`rewriting ${path}`);
    const lent = this.spare.shift();
    // The engine then merges on its own thread, with numbers and slots of its own.
    if (lent === undefined) throw new OutOfFileNumbersError(`no lent slot left for ${path}`);
    lent.slot.setHeader({ kind: 'file', path, generation: lent.generation });
    this.outputs.set(path, lent.slot);
    return new OpfsWritableFile(path, lent.slot, () => {});
  }

  /**
   * An input table is read whole, in one `read()`, and served from memory: a merge reads every block
   * of it once, and one call per 4 KiB block (the merge's reads) cost more than the copy.
   */
  openReadable(path: string): RandomAccessFile {
    const slot = this.slot(path);
    if (!this.inputs.has(path)) return new OpfsReadableFile(path, slot, () => {});
    return new BytesFile(path, slot.read(0, slot.dataSize));
  }

  readFile(path: string): Uint8Array {
    const slot = this.slot(path);
    return slot.read(0, slot.dataSize);
  }

  exists(path: string): boolean {
    return this.outputs.has(path) || this.inputs.has(path);
  }

  size(path: string): number {
    return this.slot(path).dataSize;
  }

  /** Removes an output: its slot's header is cleared (flushed) and its data cut away. */
  remove(path: string): void {
    const slot = this.outputs.get(path);
    if (slot === undefined) throw unsupported(`removing ${path}`);
    slot.setHeader(undefined);
    slot.truncate(0);
    this.outputs.delete(path);
  }

  /** Headers are flushed as they are written: nothing is left to do. */
  syncDirectory(): void {}

  list(): string[] {
    throw unsupported('list');
  }

  mkdir(): void {
    throw unsupported('mkdir');
  }

  rename(): void {
    throw unsupported('rename');
  }

  lock(): FileLock {
    throw unsupported('lock');
  }
}
