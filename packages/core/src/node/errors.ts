import { VelocityError } from '../errors.js';

/** Converts a Node file-system error into a `VelocityError` (`NOT_FOUND` for ENOENT, else `IO_ERROR`). */
export function fromNodeError(error: unknown, operation: string, path: string): VelocityError {
  const errno = (error as NodeJS.ErrnoException)?.code;
  const message = `${operation} ${path}: ${(error as Error)?.message ?? String(error)}`;
  if (errno === 'ENOENT') return new VelocityError('NOT_FOUND', message, { cause: error, errno, path });
  return new VelocityError('IO_ERROR', message, { cause: error, errno, path });
}

/** Runs `fn`, converting Node errors (VelocityErrors pass through). */
export function nodeCall<T>(operation: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof VelocityError) throw error;
    throw fromNodeError(error, operation, path);
  }
}
