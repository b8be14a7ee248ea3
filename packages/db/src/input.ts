/**
 * Checking and converting what callers pass: keys, values, write operations, read options.
 * @module
 */
import { VelocityError, invalidArgument } from '@velocity/core';

/** A key: bytes, or a string stored as its UTF-8 bytes. The empty key is allowed. */
export type Key = Uint8Array | string;
/** A value: bytes, or a string stored as its UTF-8 bytes. The empty value is allowed. */
export type Value = Uint8Array | string;

/** Largest key accepted, in bytes (1 MiB). */
export const MAX_KEY_SIZE = 1024 * 1024;
/** Largest value accepted, in bytes (64 MiB). */
export const MAX_VALUE_SIZE = 64 * 1024 * 1024;
/** Largest encoded batch accepted by one `write` call, in bytes (256 MiB). */
export const MAX_BATCH_SIZE = 256 * 1024 * 1024;

const encoder = new TextEncoder();

/**
 * Throws `INVALID_ARGUMENT` when `bytes` is a view of a detached `ArrayBuffer` (one transferred to
 * another thread or `structuredClone`d away): such a view reads as empty, and using it throws an
 * untyped `TypeError` deep inside. Only empty views are checked (a detached one always is), so the
 * cost on the normal path is one comparison.
 */
export function checkAttached(bytes: Uint8Array, what: string): void {
  if (bytes.byteLength !== 0) return;
  try {
    new Uint8Array(bytes.buffer, 0, 0);
  } catch {
    throw invalidArgument(`${what} is a Uint8Array over a detached ArrayBuffer`);
  }
}

/** `INVALID_ARGUMENT` with the standard "must be bytes" message for argument `what`. */
export function notBytes(what: string, got: unknown): VelocityError {
  return invalidArgument(`${what} must be a Uint8Array or a string, got ${describe(got)}`);
}

/** True for the two accepted shapes of keys and values (the bytes themselves are checked later). */
export function isBytesLike(value: unknown): value is Uint8Array | string {
  return value instanceof Uint8Array || typeof value === 'string';
}

/** Converts a key to bytes; throws `INVALID_ARGUMENT` for anything else or an oversized key. */
export function keyBytes(key: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (key instanceof Uint8Array) {
    bytes = key;
    checkAttached(bytes, 'key');
  } else if (typeof key === 'string') bytes = encoder.encode(key);
  else throw notBytes('key', key);
  if (bytes.length > MAX_KEY_SIZE) {
    throw invalidArgument(`key of ${bytes.length} bytes exceeds the maximum of ${MAX_KEY_SIZE}`);
  }
  return bytes;
}

/** Like {@link keyBytes} for an optional bound (undefined stays undefined). */
export function optionalKey(name: string, key: unknown): Uint8Array | undefined {
  if (key === undefined) return undefined;
  if (!isBytesLike(key)) throw notBytes(name, key);
  return keyBytes(key);
}

/** Reads the `sync` write option (`fallback` when absent). */
export function syncOption(options: unknown, fallback: boolean): boolean {
  if (options === undefined || options === null) return fallback;
  if (typeof options !== 'object') throw invalidArgument('write options must be an object');
  const sync = (options as { sync?: unknown }).sync;
  if (sync === undefined) return fallback;
  if (typeof sync !== 'boolean') throw invalidArgument('option sync must be a boolean');
  return sync;
}

/** Reads the `snapshot` read option (undefined when absent); options that are not an object are refused. */
export function snapshotOption(options: unknown): unknown {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object') throw invalidArgument('read options must be an object');
  return (options as { snapshot?: unknown }).snapshot;
}

/** A short description of a bad argument for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}

/**
 * Wraps an error thrown while reading what a caller passed (an operation object whose getter throws,
 * a Proxy, a detached buffer): a caller mistake is `INVALID_ARGUMENT`, never `IO_ERROR`.
 */
export function asCallerError(error: unknown): VelocityError {
  if (error instanceof VelocityError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new VelocityError('INVALID_ARGUMENT', `could not read the arguments: ${message}`, { cause: error });
}

/** Reads an integer count option: undefined, or an integer (or Infinity); negative means none. */
export function countOption(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    Number.isNaN(value) ||
    (Number.isFinite(value) && !Number.isInteger(value))
  ) {
    throw invalidArgument(
      `${name} must be an integer, got ${typeof value === 'number' ? value : describe(value)}`,
    );
  }
  return value;
}

/** Wraps a thrown non-Velocity error so callers always see a `VelocityError`. */
export function asVelocityError(error: unknown): VelocityError {
  if (error instanceof VelocityError) return error;
  if (error instanceof RangeError)
    return new VelocityError('INVALID_ARGUMENT', error.message, { cause: error });
  return new VelocityError('IO_ERROR', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
