/**
 * Maps Velocity's error codes to the codes Level users branch on.
 * @module
 */
import { isVelocityError } from '@velocity/core';

const LEVEL_CODES: Record<string, string> = {
  CORRUPTION: 'LEVEL_CORRUPTION',
  IO_ERROR: 'LEVEL_IO_ERROR',
  LOCKED: 'LEVEL_LOCKED',
  CLOSED: 'LEVEL_DATABASE_NOT_OPEN',
  NOT_SUPPORTED: 'LEVEL_NOT_SUPPORTED',
  READ_ONLY: 'LEVEL_READONLY',
  INVALID_ARGUMENT: 'LEVEL_INVALID_VALUE',
};

/** An error carrying a Level `code`, with the original Velocity error as `cause`. */
export class LevelError extends Error {
  /** The `LEVEL_*` code. */
  readonly code: string;
  constructor(code: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'LevelError';
    this.code = code;
  }
}

/**
 * Returns an error abstract-level understands: Velocity errors with a Level equivalent get that code
 * (the original stays reachable as `cause`); anything else is returned unchanged.
 */
export function toLevelError(error: unknown, location?: string): unknown {
  if (!isVelocityError(error)) return error;
  if (error.code === 'NOT_FOUND' && location !== undefined) {
    return new LevelError('LEVEL_DATABASE_NOT_OPEN', `Database "${location}" does not exist`, error);
  }
  if (error.code === 'ALREADY_EXISTS' && location !== undefined) {
    return new LevelError('LEVEL_DATABASE_NOT_OPEN', `Database "${location}" already exists`, error);
  }
  const code = LEVEL_CODES[error.code];
  return code === undefined ? error : new LevelError(code, error.message, error);
}
