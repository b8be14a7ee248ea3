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

/** Converts a key to bytes; throws `INVALID_ARGUMENT` for anything else or an oversized key. */
export function keyBytes(key: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (key instanceof Uint8Array) bytes = key;
  else if (typeof key === 'string') bytes = encoder.encode(key);
  else throw invalidArgument(`key must be a Uint8Array or a string, got ${describe(key)}`);
  if (bytes.length > MAX_KEY_SIZE) {
    throw invalidArgument(`key of ${bytes.length} bytes exceeds the maximum of ${MAX_KEY_SIZE}`);
  }
  return bytes;
}

/** Converts a value to bytes; throws `INVALID_ARGUMENT` for anything else or an oversized value. */
export function valueBytes(value: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) bytes = value;
  else if (typeof value === 'string') bytes = encoder.encode(value);
  else throw invalidArgument(`value must be a Uint8Array or a string, got ${describe(value)}`);
  if (bytes.length > MAX_VALUE_SIZE) {
    throw invalidArgument(`value of ${bytes.length} bytes exceeds the maximum of ${MAX_VALUE_SIZE}`);
  }
  return bytes;
}

/** Like {@link keyBytes} for an optional bound (undefined stays undefined). */
export function optionalKey(name: string, key: unknown): Uint8Array | undefined {
  if (key === undefined) return undefined;
  if (!(key instanceof Uint8Array) && typeof key !== 'string') {
    throw invalidArgument(`${name} must be a Uint8Array or a string, got ${describe(key)}`);
  }
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

/** A short description of a bad argument for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
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
