/**
 * The header at the start of every slot file of an {@link OpfsFileSystem} pool. It says which logical
 * path the slot holds, so that a pool reopened after a reload or a crash knows its files again.
 *
 * ```
 * slot file = header (HEADER_SIZE = 4096 bytes) | file data (the logical file's bytes)
 *
 * header:
 *  offset  size  field
 *  0       4     magic "VOPF" (0x56 0x4F 0x50 0x46)
 *  4       1     format version (1)
 *  5       1     kind: 1 = file, 2 = directory (0 or a bad magic/CRC: the slot is free)
 *  6       2     path length n, little-endian (1 ..= MAX_PATH_BYTES)
 *  8       8     generation, little-endian unsigned (< 2^53): a pool-wide counter, bumped on every
 *                header write; when two slots claim one path (a rename cut short), the larger wins
 *  16      4     CRC32C of bytes [0, 16) and of the n path bytes
 *  20      n     the logical path, UTF-8
 *  20+n    ...   zero up to 4096
 * ```
 *
 * A free slot has an all-zero header. A torn header write fails its CRC and reads as free: the
 * creation, rename or removal it was recording is then lost, which the `FileSystem` durability model
 * allows for any directory change not yet followed by `syncDirectory`.
 * @module
 */
import { crc32cExtend } from '@velocity/core';

/** Bytes reserved at the start of a slot file for its header; file data starts here. */
export const HEADER_SIZE = 4096;
/** Longest logical path a header can hold, in UTF-8 bytes. */
export const MAX_PATH_BYTES = HEADER_SIZE - 20;

const MAGIC = [0x56, 0x4f, 0x50, 0x46];
const VERSION = 1;

/** What a slot holds. */
export type SlotKind = 'file' | 'directory';

/** A decoded, valid header. */
export interface SlotHeader {
  /** File or directory. */
  kind: SlotKind;
  /** Logical path, for example `/db/000005.log`. */
  path: string;
  /** Pool-wide counter of the write that produced this header. */
  generation: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function checksum(bytes: Uint8Array, pathLength: number): number {
  return crc32cExtend(crc32cExtend(0, bytes, 0, 16), bytes, 20, 20 + pathLength) >>> 0;
}

/** Encodes a header into exactly {@link HEADER_SIZE} bytes. Throws `RangeError` for an over-long path. */
export function encodeSlotHeader(header: SlotHeader): Uint8Array {
  const path = encoder.encode(header.path);
  if (path.length === 0 || path.length > MAX_PATH_BYTES)
    throw new RangeError(`path too long: ${header.path}`);
  const out = new Uint8Array(HEADER_SIZE);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  out[5] = header.kind === 'file' ? 1 : 2;
  view.setUint16(6, path.length, true);
  view.setUint32(8, header.generation % 2 ** 32, true);
  view.setUint32(12, Math.floor(header.generation / 2 ** 32), true);
  out.set(path, 20);
  view.setUint32(16, checksum(out, path.length), true);
  return out;
}

/** Decodes a header; `undefined` for a free slot (zeros, short, bad magic, version, kind or CRC). */
export function decodeSlotHeader(bytes: Uint8Array): SlotHeader | undefined {
  if (bytes.length < 20) return undefined;
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC[i]) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = bytes[5];
  const length = view.getUint16(6, true);
  if (bytes[4] !== VERSION || (kind !== 1 && kind !== 2)) return undefined;
  if (length === 0 || length > MAX_PATH_BYTES || 20 + length > bytes.length) return undefined;
  if (view.getUint32(16, true) !== checksum(bytes, length)) return undefined;
  let path: string;
  try {
    path = decoder.decode(bytes.subarray(20, 20 + length));
  } catch {
    return undefined;
  }
  const generation = view.getUint32(8, true) + view.getUint32(12, true) * 2 ** 32;
  return { kind: kind === 1 ? 'file' : 'directory', path, generation };
}
