/**
 * Constants of the log format (specified in docs/formats/wal.md).
 *
 * ```
 * file     = block*                      every block is BLOCK_SIZE bytes except perhaps the last
 * block    = fragment* trailer?          trailer: < HEADER_SIZE zero bytes that cannot hold a header
 * fragment = checksum:fixed32  length:fixed16  type:uint8  payload:byte[length]
 * checksum = masked CRC-32C of the type byte followed by the payload
 * type     = 1 FULL | 2 FIRST | 3 MIDDLE | 4 LAST   (0 is reserved: preallocated zeroes)
 * ```
 * A record that fits in the rest of the block is one FULL fragment; otherwise it is cut into FIRST,
 * MIDDLE*, LAST fragments, each filling its block. No fragment crosses a block boundary, so a reader can
 * resynchronize at the next block after damage.
 * @module
 */

/** Size of a log block. */
export const BLOCK_SIZE = 32768;
/** Size of a fragment header: checksum (4) + length (2) + type (1). */
export const HEADER_SIZE = 7;

/** Fragment types. Persisted: never renumber. */
export const FragmentType = {
  /** Reserved: zero bytes of a preallocated file. */
  Zero: 0,
  /** A whole record. */
  Full: 1,
  /** The first fragment of a record split across blocks. */
  First: 2,
  /** A middle fragment. */
  Middle: 3,
  /** The last fragment. */
  Last: 4,
} as const;
/** One of {@link FragmentType}'s values. */
export type FragmentType = (typeof FragmentType)[keyof typeof FragmentType];
