/**
 * `get`, `put`, `del` and `scan`: reading and writing entries from the command line.
 * @module
 */
import { utf8 } from '@velocity/core';
import { formatEntry, type OutputFormat, parseInput } from '../encoding.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { withDatabase } from '../open.js';
import type { Io } from '../program.js';

/** Options shared by the data commands. */
export interface DataOptions {
  /** Keys and values on the command line are hex. */
  hex?: boolean;
  /** Output format. */
  format?: OutputFormat;
  /** Write with fsync. */
  sync?: boolean;
}

/** Prints the value of `key`; fails with exit code 3 when it is absent. */
export async function get(
  dir: string,
  key: string,
  options: DataOptions,
  out: (line: string) => void,
): Promise<void> {
  await withDatabase(dir, { readOnly: true }, async (db) => {
    const value = db.getSync(parseInput(key, options.hex ?? false));
    if (value === undefined) throw new CliError(`key not found: ${key}`, ExitCode.KeyNotFound);
    out(formatEntry(undefined, value, options.format ?? 'text'));
  });
}

/** Options of `put`. */
export interface PutOptions extends DataOptions {
  /** Milliseconds until the value expires. */
  ttl?: number;
}

/** Stores `value` under `key` (creating the database if needed), expiring after `ttl` ms if given. */
export async function put(dir: string, key: string, value: string, options: PutOptions): Promise<void> {
  const hex = options.hex ?? false;
  const ttl = options.ttl === undefined ? {} : { ttl: options.ttl };
  await withDatabase(dir, { create: true }, (db) =>
    db.put(parseInput(key, hex), parseInput(value, hex), { sync: options.sync ?? true, ...ttl }),
  );
}

/** Options of `del`. */
export interface DelOptions extends DataOptions {
  /** `[start, end]`: delete the keys in `[start, end)` instead of one key. */
  range?: string[];
}

/**
 * Deletes `key` (no error when it is absent, as in the database), or with `range` every key in
 * `[start, end)` as one range deletion (an empty range deletes nothing; `start > end` is bad usage).
 */
export async function del(dir: string, key: string | undefined, options: DelOptions): Promise<void> {
  const hex = options.hex ?? false;
  const sync = options.sync ?? true;
  const range = options.range;
  if (range !== undefined) {
    if (key !== undefined || range.length !== 2)
      throw new CliError('del --range takes exactly <start> <end> and no key', ExitCode.Usage);
    const start = parseInput(range[0], hex);
    const end = parseInput(range[1], hex);
    await withDatabase(dir, {}, async (db) => {
      try {
        await db.deleteRange(start, end, { sync });
      } catch (error) {
        if ((error as { code?: string }).code === 'INVALID_ARGUMENT')
          throw new CliError(`del --range: ${(error as Error).message}`, ExitCode.Usage);
        throw error;
      }
    });
    return;
  }
  if (key === undefined) throw new CliError('del needs a key (or --range <start> <end>)', ExitCode.Usage);
  await withDatabase(dir, {}, (db) => db.delete(parseInput(key, hex), { sync }));
}

/** Options of `scan`. */
export interface ScanOptions extends DataOptions {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  /** Only keys that start with this prefix. */
  prefix?: string;
  reverse?: boolean;
  limit?: number;
  /** Print keys only. */
  keysOnly?: boolean;
}

/** The smallest key greater than every key starting with `prefix`, or undefined if there is none. */
export function prefixUpperBound(prefix: Uint8Array): Uint8Array | undefined {
  const end = prefix.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

/** Prints the entries in a range, one per line; returns how many were printed. */
export async function scan(dir: string, options: ScanOptions, io: Pick<Io, 'out' | 'pace'>): Promise<number> {
  const hex = options.hex ?? false;
  const bound = (text: string | undefined) => (text === undefined ? undefined : parseInput(text, hex));
  let gte = bound(options.gte);
  let lt = bound(options.lt);
  if (options.prefix !== undefined) {
    const prefix = hex ? parseInput(options.prefix, true) : utf8(options.prefix);
    gte = prefix;
    lt = prefixUpperBound(prefix);
  }
  const format = options.format ?? 'text';
  return withDatabase(dir, { readOnly: true }, async (db) => {
    let count = 0;
    const iterator = db.iterator({
      gt: bound(options.gt),
      gte,
      lt,
      lte: bound(options.lte),
      reverse: options.reverse,
      limit: options.limit,
    });
    try {
      for (const [key, value] of iterator) {
        io.out(formatEntry(key, options.keysOnly ? undefined : value, format));
        await io.pace?.();
        count++;
      }
    } finally {
      iterator.close();
    }
    return count;
  });
}
