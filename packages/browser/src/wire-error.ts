/**
 * Errors across `postMessage`: a `VelocityError` keeps its code, errno and path.
 * @module
 */
import { type ErrorCode, VelocityError } from '@velocity/core';

/** An error as it crosses `postMessage`. */
export interface WireError {
  /** The `VelocityError` code, when it was one. */
  code?: ErrorCode;
  /** The message. */
  message: string;
  /** The errno of an `IO_ERROR`. */
  errno?: string;
  /** The file concerned. */
  path?: string;
}

/** Flattens an error for `postMessage`. */
export function toWireError(error: unknown): WireError {
  if (error instanceof VelocityError) {
    return { code: error.code, message: error.message, errno: error.errno, path: error.path };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Rebuilds a `VelocityError` (or a plain `Error` for a non-Velocity one). */
export function fromWireError(wire: WireError): Error {
  if (wire.code === undefined) return new Error(wire.message);
  return new VelocityError(wire.code, wire.message, { errno: wire.errno, path: wire.path });
}
