/**
 * Constants and small structures of the table file format: block handles, the block trailer and the
 * footer. The full specification with byte layouts is docs/formats/sstable.md.
 *
 * ```
 * [data block 1] ... [data block N] [filter block]? [range-deletion block]? [properties block] [metaindex block] [index block] [footer]
 * block  = contents | type: 1 byte | masked crc32c(contents | type): fixed32
 * footer = metaindex handle | index handle | zero padding to 40 bytes
 *        | format version: fixed32 | masked crc32c(footer bytes 0..44): fixed32 | magic: fixed64
 * ```
 * @module
 */
import {
  ByteReader,
  ByteWriter,
  VelocityError,
  bytesEqual,
  corruption,
  crc32c,
  crc32cExtend,
  decodeFixed32,
  encodeFixed32,
  maskCrc,
  unmaskCrc,
} from '@velocity/core';

/**
 * The newest table format version this code reads. Version 1 is what tables are written as unless
 * they need more; version 2 tables may hold entries of kind 2 (a put with an expiry prefix), which a
 * version-1 reader would misread, so it refuses them with `FORMAT_VERSION`; version 3 tables may carry
 * a range-deletion block (`velocity.range_del` in the metaindex), which a version-2 reader would
 * ignore, so it refuses them too.
 */
export const TABLE_FORMAT_VERSION = 3;

/** The version tables are written as when nothing in them needs a newer one. */
export const BASE_TABLE_FORMAT_VERSION = 1;

/**
 * The table magic number: the first 64 bits of SHA-256("velocity/sstable"), 0xe206f1f798680782, stored
 * as a little-endian fixed64 (so a table ends with the bytes 82 07 68 98 f7 f1 06 e2).
 */
export const TABLE_MAGIC: Uint8Array = new Uint8Array([0x82, 0x07, 0x68, 0x98, 0xf7, 0xf1, 0x06, 0xe2]);

/** Bytes after every block: compression type (1) and masked CRC32C (4). */
export const BLOCK_TRAILER_SIZE = 5;

/** Largest encoding of a block handle: two varint64s of at most 10 bytes. */
export const MAX_HANDLE_LENGTH = 20;

/** Bytes of the handle area at the start of the footer (two handles plus zero padding). */
export const FOOTER_HANDLES_SIZE = 2 * MAX_HANDLE_LENGTH;

/** Total footer size: handle area, version, checksum and magic. */
export const FOOTER_SIZE = FOOTER_HANDLES_SIZE + 4 + 4 + 8;

/** Metaindex key of the properties block. */
export const PROPERTIES_BLOCK_NAME = 'velocity.properties';

/** Metaindex key prefix of a filter block; the policy name follows. */
export const FILTER_BLOCK_PREFIX = 'filter.';

/** Where a block lives in the file: `size` excludes the 5-byte trailer. */
export interface BlockHandle {
  /** Offset of the block's first byte. */
  offset: number;
  /** Bytes of the block contents as stored (without trailer). */
  size: number;
}

/** Encodes a handle as varint64 offset followed by varint64 size. */
export function encodeBlockHandle(handle: BlockHandle): Uint8Array {
  return new ByteWriter(MAX_HANDLE_LENGTH).putVarint64(handle.offset).putVarint64(handle.size).finish();
}

/** Decodes a handle from `reader`; throws `CORRUPTION` if malformed. */
export function readBlockHandle(reader: ByteReader): BlockHandle {
  const offset = reader.readVarint64();
  const size = reader.readVarint64();
  return { offset, size };
}

/** Decodes a handle that must fill `bytes` exactly (an index or metaindex value). */
export function decodeBlockHandle(bytes: Uint8Array): BlockHandle {
  const reader = new ByteReader(bytes);
  const handle = readBlockHandle(reader);
  if (reader.remaining !== 0) throw corruption('trailing bytes after block handle');
  return handle;
}

const typeByteScratch = new Uint8Array(1);

/** Computes the stored (masked) checksum of `contents[start, end)` followed by the type byte. */
export function blockChecksum(contents: Uint8Array, type: number, start = 0, end = contents.length): number {
  typeByteScratch[0] = type;
  return maskCrc(crc32cExtend(crc32c(contents, start, end), typeByteScratch));
}

/** The decoded footer of a table. */
export interface Footer {
  /** Handle of the metaindex block. */
  metaindex: BlockHandle;
  /** Handle of the index block. */
  index: BlockHandle;
  /** Table format version recorded in the file. */
  version: number;
}

/** Encodes the fixed-size footer of a table of format `version`. */
export function encodeFooter(
  metaindex: BlockHandle,
  index: BlockHandle,
  version: number = BASE_TABLE_FORMAT_VERSION,
): Uint8Array {
  const out = new Uint8Array(FOOTER_SIZE);
  const handles = new ByteWriter(FOOTER_HANDLES_SIZE)
    .putVarint64(metaindex.offset)
    .putVarint64(metaindex.size)
    .putVarint64(index.offset)
    .putVarint64(index.size)
    .view();
  out.set(handles, 0);
  encodeFixed32(out, FOOTER_HANDLES_SIZE, version);
  encodeFixed32(out, FOOTER_HANDLES_SIZE + 4, maskCrc(crc32c(out, 0, FOOTER_HANDLES_SIZE + 4)));
  out.set(TABLE_MAGIC, FOOTER_HANDLES_SIZE + 8);
  return out;
}

/**
 * Decodes a footer: `CORRUPTION` for a wrong magic number or checksum, `FORMAT_VERSION` for a newer
 * table format version. The last 56 bytes keep this layout in every future version, so the version
 * check always comes after a valid checksum.
 */
export function decodeFooter(bytes: Uint8Array, path?: string): Footer {
  if (bytes.length !== FOOTER_SIZE) throw corruption('file too short to be a table', path);
  if (!bytesEqual(bytes.subarray(FOOTER_HANDLES_SIZE + 8), TABLE_MAGIC)) {
    throw corruption('bad table magic number (not a Velocity table)', path);
  }
  const stored = unmaskCrc(decodeFixed32(bytes, FOOTER_HANDLES_SIZE + 4));
  if (stored !== crc32c(bytes, 0, FOOTER_HANDLES_SIZE + 4)) {
    throw corruption('table footer checksum mismatch', path);
  }
  const version = decodeFixed32(bytes, FOOTER_HANDLES_SIZE);
  if (version > TABLE_FORMAT_VERSION) {
    throw new VelocityError(
      'FORMAT_VERSION',
      `table format version ${version} is newer than the supported ${TABLE_FORMAT_VERSION}`,
      { path },
    );
  }
  if (version < 1) throw corruption(`invalid table format version ${version}`, path);
  const reader = new ByteReader(bytes, 0, FOOTER_HANDLES_SIZE);
  const metaindex = readBlockHandle(reader);
  const index = readBlockHandle(reader);
  return { metaindex, index, version };
}
