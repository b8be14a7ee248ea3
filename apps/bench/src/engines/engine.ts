/**
 * What a benchmark needs from a database, in two flavours: *typical* calls (one awaited operation at a
 * time with default options, as most application code is written) and *fast* calls (the quickest
 * public API the engine offers: batches or transactions, synchronous gets, native iteration).
 * @module
 */

import type { LevelShape } from '../debt.js';

/** One key/value pair to write. */
export type Pair = readonly [key: Uint8Array, value: Uint8Array];

/** Options of {@link EngineHandle.scan}. */
export interface ScanOptions {
  /** First key (inclusive; the last one when `reverse`); the whole database without it. */
  start?: Uint8Array;
  /** At most this many entries. */
  limit?: number;
  /** Largest key first. */
  reverse?: boolean;
  /** Use the engine's fastest iteration instead of `for await`. */
  fast: boolean;
  /** Called after every 1,000 entries (for latency sampling). */
  onChunk?: () => void;
}

/** A cursor positioned at the first key at or after a target, reading one entry each time. */
export interface Seeker {
  /** Seeks to `key` and reads the entry there; returns 1 if there was one, else 0. */
  seek(key: Uint8Array): number | Promise<number>;
  /** Releases the cursor. */
  close(): void | Promise<void>;
}

/** One engine opened on a directory. */
export interface EngineHandle {
  /** Typical: one awaited write (`sync` asks for durability before it resolves). */
  put(key: Uint8Array, value: Uint8Array, sync: boolean): Promise<void>;
  /** Typical: one awaited read. */
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Typical: one awaited delete. */
  del(key: Uint8Array): Promise<void>;
  /** Typical: one awaited multi-key read. */
  getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  /** Fast: many writes as one batch or transaction. */
  putMany(pairs: readonly Pair[], sync: boolean): Promise<void> | undefined;
  /** Fast: many deletes as one batch or transaction. */
  delMany(keys: readonly Uint8Array[]): Promise<void> | undefined;
  /** Fast: the quickest single read (synchronous for every engine here). */
  getFast(key: Uint8Array): Uint8Array | undefined;
  /** Fast: the quickest multi-key read. */
  getManyFast(keys: readonly Uint8Array[]): (Uint8Array | undefined)[] | Promise<(Uint8Array | undefined)[]>;
  /** Reads entries in order; returns how many it read. */
  scan(options: ScanOptions): Promise<number>;
  /** A cursor for seek benchmarks: a new iterator per seek (typical) or one reused (fast, where possible). */
  seeker(fast: boolean): Seeker;
  /** Deletes every key in `[start, end)` with one range tombstone, when the engine has them. */
  deleteRange?(start: Uint8Array, end: Uint8Array): Promise<void>;
  /** Compacts the whole key space, when the engine can be asked to (LSM engines). */
  compactRange?(): Promise<void>;
  /** Files and bytes per level, level 0 first, for LSM engines that expose them (for compaction debt). */
  levels?(): LevelShape[];
  /** Bytes the engine itself counts as written to storage since open, when it counts them. */
  bytesWritten?(): number;
  /** Closes the engine. */
  close(): Promise<void>;
}

/** An engine that can be benchmarked. */
export interface Engine {
  /** Name in reports, e.g. `classic-level`. */
  readonly name: string;
  /** What it is, e.g. `LevelDB (C++) via classic-level`. */
  readonly description: string;
  /** Opens (creating) a database in `dir`. Throws if the engine cannot be loaded on this machine. */
  open(dir: string): Promise<EngineHandle>;
}

/**
 * Counts the entries of an iterable, calling `onChunk` every 1,000: with `for await` when `awaitEach`
 * (typical code; works on sync iterables too, one await per entry), else with a plain `for ... of`.
 */
export async function countEntries(
  entries: Iterable<unknown> | AsyncIterable<unknown>,
  awaitEach: boolean,
  onChunk?: () => void,
): Promise<number> {
  let n = 0;
  if (awaitEach || !(Symbol.iterator in entries)) {
    for await (const _ of entries) if (++n % 1000 === 0) onChunk?.();
  } else {
    for (const _ of entries as Iterable<unknown>) if (++n % 1000 === 0) onChunk?.();
  }
  return n;
}
