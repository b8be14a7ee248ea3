/**
 * Turning the `DOMException`s of OPFS calls into `VelocityError`s with stable codes.
 * @module
 */
import { VelocityError } from '@velocity/core';

/** The `name` of a DOMException-like error, or undefined. */
export function domErrorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Maps an error thrown by an OPFS call on `path`: `QuotaExceededError` becomes `IO_ERROR` with errno
 * `ENOSPC` (storage quota exhausted), `NoModificationAllowedError` (the file is open in another
 * worker or tab) becomes `LOCKED`, anything else `IO_ERROR` with errno `EIO`.
 */
export function fromDomError(error: unknown, path: string): VelocityError {
  if (error instanceof VelocityError) return error;
  const name = domErrorName(error);
  const message = `${(error as Error)?.message ?? String(error)} (${path})`;
  if (name === 'QuotaExceededError') {
    return new VelocityError('IO_ERROR', `storage quota exceeded: ${message}`, {
      cause: error,
      errno: 'ENOSPC',
      path,
    });
  }
  if (name === 'NoModificationAllowedError') {
    return new VelocityError('LOCKED', `file is open elsewhere: ${message}`, { cause: error, path });
  }
  return new VelocityError('IO_ERROR', message, { cause: error, errno: 'EIO', path });
}

/** The error of a write refused by the pool's own byte budget (`OpfsOptions.quotaBytes`). */
export function quotaError(path: string, quotaBytes: number): VelocityError {
  return new VelocityError('IO_ERROR', `storage quota of ${quotaBytes} bytes exceeded (${path})`, {
    errno: 'ENOSPC',
    path,
  });
}
