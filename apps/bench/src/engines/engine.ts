/**
 * What a benchmark needs from a database, in two flavours: `typical` calls (one awaited operation at a
 * time, as most application code does) and `fast` calls (the quickest public API the engine offers).
 * @module
 */

/** One engine opened on a directory. */
export interface EngineHandle {
  /** Awaited single write. */
  put(key: Uint8Array, value: Uint8Array, sync: boolean): Promise<void>;
  /** Awaited single read. */
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Awaited single delete. */
  del(key: Uint8Array): Promise<void>;
  /** Fastest way to write many entries (a batch or transaction). */
  putMany(entries: readonly [Uint8Array, Uint8Array][]): Promise<void>;
  /** Fastest way to delete many keys. */
  delMany(keys: readonly Uint8Array[]): Promise<void>;
  /** Fastest single read (synchronous where the engine has it). */
  getFast(key: Uint8Array): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /** Reads `limit` entries in order from `start` (or all); returns how many were read. */
  scan(options: { start?: Uint8Array; limit?: number; reverse?: boolean }): Promise<number>;
  /** Closes the engine. */
  close(): Promise<void>;
  /** Bytes this engine wrote to files, when it knows (write amplification). */
  bytesWritten?(): number | undefined;
}

/** An engine that can be benchmarked. */
export interface Engine {
  /** Name in reports, e.g. `classic-level`. */
  readonly name: string;
  /** What it is, e.g. `LevelDB (C++) via classic-level`. */
  readonly description: string;
  /** Opens (creating) a database in `dir`. Throws if the engine cannot load here. */
  open(dir: string): Promise<EngineHandle>;
}
