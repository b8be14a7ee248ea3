import {
  type RandomAccessFile,
  VelocityError,
  type WritableFile,
  corruption,
  decodeFixed32,
  encodeFixed32,
} from '@velocity/core';
import type { BlockPool } from './block-pool.js';
import { BLOCK_TRAILER_SIZE, type BlockHandle, blockChecksum } from './format.js';
import type { Codec } from './types.js';

/**
 * Appends blocks to a file, compressing when it pays and adding the 5-byte trailer, and tracks the
 * file offset.
 */
export class BlockWriter {
  /** Bytes written so far (the offset of the next block). */
  offset = 0;
  private readonly trailer = new Uint8Array(BLOCK_TRAILER_SIZE);

  constructor(private readonly file: WritableFile) {}

  /**
   * Writes `raw`, compressed with `codec` if that saves at least 1/8 of its size. Returns the handle
   * (whose size excludes the trailer).
   */
  writeBlock(raw: Uint8Array, codec?: Codec): BlockHandle {
    let contents = raw;
    let type = 0;
    if (codec !== undefined && codec.id !== 0) {
      const compressed = codec.compress(raw);
      if (compressed.length < raw.length - raw.length / 8) {
        contents = compressed;
        type = codec.id;
      }
    }
    return this.writeRaw(contents, type);
  }

  /** Writes `contents` as stored with the given type byte, plus the trailer. */
  writeRaw(contents: Uint8Array, type: number): BlockHandle {
    const handle = { offset: this.offset, size: contents.length };
    this.trailer[0] = type;
    encodeFixed32(this.trailer, 1, blockChecksum(contents, type));
    this.file.append(contents);
    this.file.append(this.trailer);
    this.offset += contents.length + BLOCK_TRAILER_SIZE;
    return handle;
  }

  /** Appends bytes that are not a block (the footer). */
  writeBytes(bytes: Uint8Array): void {
    this.file.append(bytes);
    this.offset += bytes.length;
  }
}

/**
 * Reads the block at `handle`, verifies its checksum and decompresses it. `limit` is the end of the
 * region the block must lie in. Throws `CORRUPTION` for a block out of range, truncated, failing its
 * checksum or failing to decompress, and `NOT_SUPPORTED` for a codec id not in `codecs` (the checksum
 * being valid, the block was written by a codec this reader does not know).
 */
export function readBlock(
  file: RandomAccessFile,
  handle: BlockHandle,
  limit: number,
  codecs: ReadonlyMap<number, Codec>,
  pool?: BlockPool,
): Uint8Array {
  const length = handle.size + BLOCK_TRAILER_SIZE;
  if (handle.offset + length > limit) throw corruption('block handle points past its region', file.path);
  if (pool === undefined || file.readInto === undefined) {
    const raw = file.read(handle.offset, length);
    if (raw.length !== length) throw corruption('truncated block', file.path);
    return checkBlock(raw, 0, handle.size, handle.offset, codecs, file.path);
  }
  // Into recycled memory (see BlockPool): given back at once when the block fails or is decompressed
  // (its contents are then a copy), kept as the block's contents otherwise.
  const raw = pool.take(length);
  let contents: Uint8Array | undefined;
  try {
    if (file.readInto(handle.offset, raw) !== length) throw corruption('truncated block', file.path);
    contents = checkBlock(raw, 0, handle.size, handle.offset, codecs, file.path);
  } finally {
    if (contents === undefined || contents.buffer !== raw.buffer) pool.release(raw);
  }
  return contents;
}

/**
 * Verifies the stored block at `bytes[start, start + size)` followed by its trailer, and returns its
 * contents (a view of `bytes`, or a decompressed copy). `fileOffset` and `path` only name the block in
 * errors. Errors as {@link readBlock}'s.
 */
export function checkBlock(
  bytes: Uint8Array,
  start: number,
  size: number,
  fileOffset: number,
  codecs: ReadonlyMap<number, Codec>,
  path: string,
): Uint8Array {
  const end = start + size;
  if (end + BLOCK_TRAILER_SIZE > bytes.length) throw corruption('block handle points past its region', path);
  const type = bytes[end];
  if (blockChecksum(bytes, type, start, end) !== decodeFixed32(bytes, end + 1)) {
    throw corruption(`block checksum mismatch at offset ${fileOffset}`, path);
  }
  const contents = bytes.subarray(start, end);
  if (type === 0) return contents;
  const codec = codecs.get(type);
  if (codec === undefined) {
    throw new VelocityError('NOT_SUPPORTED', `block at offset ${fileOffset} uses unknown codec id ${type}`, {
      path,
    });
  }
  try {
    return codec.decompress(contents);
  } catch (error) {
    if (error instanceof VelocityError && error.code === 'CORRUPTION') throw error;
    throw new VelocityError(
      'CORRUPTION',
      `codec '${codec.name}' failed to decompress block at ${fileOffset}`,
      {
        path,
        cause: error,
      },
    );
  }
}
