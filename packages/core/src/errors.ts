/**
 * Stable error codes. A code never changes meaning once released; new codes may be added.
 *
 * | code | meaning |
 * |---|---|
 * | `INVALID_ARGUMENT` | the caller passed something malformed: wrong type, empty or oversized key, out-of-order keys |
 * | `NOT_FOUND` | a file or entry that must exist does not |
 * | `CORRUPTION` | stored bytes fail a checksum, a length check or a structural check |
 * | `IO_ERROR` | the operating system failed a call (disk full, EIO, permission); `errno` says which |
 * | `LOCKED` | another handle or process holds the database's lock |
 * | `CLOSED` | the object was used after `close()` |
 * | `NOT_SUPPORTED` | the operation or option is not available here |
 * | `FORMAT_VERSION` | the data was written by a newer, unknown format version |
 * | `NOT_A_DATABASE` | a non-empty directory that is not a Velocity database |
 * | `READ_ONLY` | an earlier write-path I/O error put the database in read-only mode until reopened |
 * | `ALREADY_EXISTS` | the target exists and the caller asked for it not to (`errorIfExists`) |
 * | `OPENED_READ_ONLY` | a write (or another change) on a database opened with `readOnly: true` |
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'CORRUPTION'
  | 'IO_ERROR'
  | 'LOCKED'
  | 'CLOSED'
  | 'NOT_SUPPORTED'
  | 'FORMAT_VERSION'
  | 'NOT_A_DATABASE'
  | 'READ_ONLY'
  | 'ALREADY_EXISTS'
  | 'OPENED_READ_ONLY';

/** All error codes, in a stable order, for documentation and exhaustive tests. */
export const ERROR_CODES: readonly ErrorCode[] = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'CORRUPTION',
  'IO_ERROR',
  'LOCKED',
  'CLOSED',
  'NOT_SUPPORTED',
  'FORMAT_VERSION',
  'NOT_A_DATABASE',
  'READ_ONLY',
  'ALREADY_EXISTS',
  'OPENED_READ_ONLY',
];

/** Extra fields an error may carry. */
export interface VelocityErrorOptions {
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
  /** The operating system's error name for `IO_ERROR` (for example `ENOSPC`, `EIO`, `EACCES`). */
  errno?: string;
  /** The file the error concerns, when there is one. */
  path?: string;
}

/**
 * The one error type Velocity throws. Branch on `code`, never on `message`.
 *
 * @example
 * ```ts
 * import { ByteReader, isVelocityError } from '@velocity/core';
 * const reader = new ByteReader(new Uint8Array([0x80])); // a varint cut short
 * try {
 *   reader.readVarint32();
 * } catch (e) {
 *   if (!isVelocityError(e, 'CORRUPTION')) throw e;
 *   console.log(e.code, e.message); // CORRUPTION, and what was damaged
 * }
 * ```
 */
export class VelocityError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Operating system error name, for `IO_ERROR`. */
  readonly errno: string | undefined;
  /** The file concerned, if any. */
  readonly path: string | undefined;

  constructor(code: ErrorCode, message: string, options: VelocityErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VelocityError';
    this.code = code;
    this.errno = options.errno;
    this.path = options.path;
  }
}

/** True when `error` is a {@link VelocityError}, optionally with the given code. */
export function isVelocityError(error: unknown, code?: ErrorCode): error is VelocityError {
  return error instanceof VelocityError && (code === undefined || error.code === code);
}

/** Shorthand for throwing a `CORRUPTION` error. */
export function corruption(message: string, path?: string): VelocityError {
  return new VelocityError('CORRUPTION', message, { path });
}

/** Shorthand for an `INVALID_ARGUMENT` error. */
export function invalidArgument(message: string): VelocityError {
  return new VelocityError('INVALID_ARGUMENT', message);
}
