/**
 * Time to live on the write side: the `ttl` and `expiresAt` options of puts, the database's default
 * TTL, and raising the format marker before the first value with an expiry reaches the log.
 * @module
 */
import { MAX_EXPIRES_AT, invalidArgument } from '@velocity/core';

/** Options of a put that expires. At most one of the two may be given. */
export interface ExpiryOptions {
  /**
   * Milliseconds from now (by `DBOptions.clock`) after which the value reads as deleted; `Infinity`
   * for never, which also overrides `DBOptions.defaultTtl`.
   */
  ttl?: number;
  /** When the value starts to read as deleted, in milliseconds since the Unix epoch. */
  expiresAt?: number;
}

/** Turns put options into expiry times (see {@link ExpiryOptions}). */
export class ExpiryPolicy {
  private raised = false;

  /**
   * @param clock the time in milliseconds since the epoch.
   * @param defaultTtl the TTL of puts that give none, or undefined for none.
   * @param raiseFormat called once, before the first expiry time is handed out.
   */
  constructor(
    private readonly clock: () => number,
    private readonly defaultTtl: number | undefined,
    private readonly raiseFormat: () => void,
  ) {}

  /**
   * The expiry time of a put with `options` (which may be a whole operation object), or undefined
   * when it never expires. Throws `INVALID_ARGUMENT` for a malformed `ttl` or `expiresAt`, naming them
   * after `prefix`.
   */
  expiresAt(options: unknown, prefix = 'option'): number | undefined {
    let ttl: unknown;
    let at: unknown;
    if (options !== undefined && options !== null) {
      ({ ttl, expiresAt: at } = options as { ttl?: unknown; expiresAt?: unknown });
    }
    let result: number | undefined;
    if (at !== undefined) {
      if (ttl !== undefined) throw invalidArgument(`${prefix} ttl and expiresAt cannot both be given`);
      if (typeof at !== 'number' || !Number.isInteger(at) || at < 0 || at > MAX_EXPIRES_AT) {
        throw invalidArgument(`${prefix} expiresAt must be an integer of milliseconds since the epoch`);
      }
      result = at;
    } else {
      const t = ttl === undefined ? this.defaultTtl : ttl;
      if (t !== undefined && t !== Number.POSITIVE_INFINITY) {
        if (typeof t !== 'number' || !(t > 0)) {
          throw invalidArgument(`${prefix} ttl must be a positive number of milliseconds or Infinity`);
        }
        result = Math.min(MAX_EXPIRES_AT, Math.ceil(this.clock() + t));
      }
    }
    if (result !== undefined && !this.raised) {
      this.raiseFormat();
      this.raised = true;
    }
    return result;
  }
}

/** Checks the `defaultTtl` option: undefined, `Infinity` (none) or a positive number of milliseconds. */
export function defaultTtlOption(value: unknown): number | undefined {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return undefined;
  if (typeof value !== 'number' || !(value > 0)) {
    throw invalidArgument('option defaultTtl must be a positive number of milliseconds or Infinity');
  }
  return value;
}
