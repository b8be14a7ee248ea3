/**
 * Database options: what callers may pass to `DB.open`, their defaults, and their validation.
 * @module
 */
import type { Cache } from '@velocity/block-cache';
import { createDefaultCache } from '@velocity/block-cache';
import { BloomFilterPolicy, type FilterPolicy } from '@velocity/bloom';
import { LeveledCompaction } from '@velocity/compaction';
import type { CompactionFilter, CompactionStrategy } from '@velocity/compaction';
import { type Comparator, type FileSystem, bytewiseComparator, invalidArgument } from '@velocity/core';
import { type MemTable, SkipListMemTable } from '@velocity/memtable';
import { BlockPool, type Codec, noCompression } from '@velocity/sstable';
import type { RecoveryMode } from '@velocity/wal';
import type {
  CompactionThreadMode,
  CompactionThreadPriority,
  MergeWorker,
} from './compaction/worker-protocol.js';
import { isNode } from './runtime.js';
import { defaultTtlOption } from './expiry-options.js';
import { autoMemoryBudget } from './memory-budget.js';

/** Options of `DB.open`. Every field is optional. */
export interface DBOptions {
  /** Storage. Default: `NodeFileSystem` from `@velocity/core/node` on Node; required in a browser. */
  fs?: FileSystem;
  /** Create the database when the directory holds none. Default `true`. */
  createIfMissing?: boolean;
  /** Fail with `ALREADY_EXISTS` when a database is already there. Default `false`. */
  errorIfExists?: boolean;
  /**
   * Bytes of memtable before it is frozen and flushed to a level-0 table. Default 16 MiB on Node
   * ({@link DEFAULT_MEMTABLE_SIZE}), 4 MiB elsewhere ({@link DEFAULT_MEMTABLE_SIZE_OTHER}).
   *
   * On Node four times LevelDB's 4 MiB, which cuts write amplification at a million entries from 5.7
   * to 3.5 (apps/bench fillrandom, batches of 1,000, compaction after the fill included) and the
   * compaction work behind it; the price is memory while writes run, up to 48 MiB during a flush (the
   * active memtable, the frozen one, and its copy on the way to the compaction worker), and recovery
   * replays up to that much log. In a browser there is no compaction worker: flushes run on the one
   * thread the reads run on, and a few steps of building a table (its bloom filter, its hash index
   * when it is made resident) take time in proportion to its size (38 and 28 ms measured for a 16 MiB
   * flush in Chromium), so smaller tables keep those pauses short.
   */
  memtableSize?: number;
  /** Target uncompressed size of table data blocks. Default 4096. */
  blockSize?: number;
  /** Keys between restart points in data blocks. Default 16. */
  blockRestartInterval?: number;
  /**
   * Bytes of memory for table contents, or `'auto'` (default): 1 GiB on Node, 64 MiB elsewhere. One
   * budget covers the block cache's capacity, the index and filter of every open table (held while it
   * is open) and whole tables held resident: a table opened while its data fits in what is left is
   * read into memory at once and served from there (each block verified on first use), so databases
   * smaller than the budget are read with no I/O, no block cache and no allocation per lookup. The
   * memory is real (RSS grows by the tables' size); LevelDB instead keeps 8 MiB of blocks and leans on
   * the OS page cache, and lmdb maps the whole file (its RSS grows with the data it touches). Pass a
   * small budget (for example 8 MiB) for LevelDB's behaviour.
   */
  memoryBudget?: number | 'auto';
  /**
   * Cache of uncompressed data blocks of tables that are not resident; any {@link Cache} policy works.
   * Its capacity counts against `memoryBudget`. Default `createDefaultCache(min(8 MiB, memoryBudget))`.
   * Pass `null` for no block cache.
   */
  blockCache?: Cache<string, Uint8Array> | null;
  /** Filter policy of new tables. Default `new BloomFilterPolicy(10)`. `null` writes no filters. */
  filterPolicy?: FilterPolicy | null;
  /** Codec for data blocks of new tables. Default: none. */
  compression?: Codec;
  /** Extra codecs that existing tables may use (the built-in ones are always known). */
  codecs?: readonly Codec[];
  /**
   * Which files to compact and when. Default {@link defaultCompaction}: `LeveledCompaction` with level
   * 1's target four memtables large (10 MiB at least).
   */
  compaction?: CompactionStrategy;
  /** Order of user keys; its name is recorded and checked on open. Default bytewise. */
  comparator?: Comparator;
  /** Default of the `sync` write option. Default `false`. */
  sync?: boolean;
  /** How damage in write-ahead logs is treated during recovery. Default `'tolerate-corrupted-tail'`. */
  recoveryMode?: RecoveryMode;
  /** Most table files kept open at once (the table cache). Default 500. */
  maxOpenFiles?: number;
  /** A new manifest (with a full snapshot) is started when the current one exceeds this. Default 4 MiB. */
  maxManifestSize?: number;
  /**
   * Milliseconds of background work on the main thread (flush copies, table warming, and merges when
   * they run there) between event-loop turns. Default 1, so that timers and I/O of the host program
   * wait at most about that long behind the engine (with the 0.5 ms budget of a run of awaited calls
   * and 0.5 ms turns given to background work inside such a run, ~2 ms at worst per turn of the event
   * loop); larger slices save a little per-turn overhead.
   */
  backgroundSliceMs?: number;
  /** Makes the memtable. Default `new SkipListMemTable(comparator, { expectedBytes: memtableSize })`. */
  memtableFactory?: (comparator: Comparator) => MemTable;
  /**
   * Where compaction merges run, decided once at open. `'worker'`: in a Node worker thread (one per
   * open database, started at the first merge), so compactions use a second core; `'main'`: in
   * slices of `backgroundSliceMs` on the main thread; `'auto'` (default): the worker when possible,
   * else the main thread. The worker is possible on Node with the default `NodeFileSystem` (not a
   * `MemoryFileSystem`, `FaultInjectionFileSystem` or another file system), the built-in bytewise
   * comparator, the built-in `BloomFilterPolicy` (or no filter), no compression or `lz4Codec`, no
   * extra `codecs` and no `compactionFilter`; `'worker'` with any other configuration fails with `INVALID_ARGUMENT` saying why.
   * Memtable flushes are built in the worker too (the main thread copies the frozen memtable's entries
   * out in slices and the worker writes, compresses, filters and fsyncs the table, ahead of any merge);
   * trivial moves and installing results always run on the main thread.
   */
  compactionThread?: CompactionThreadMode;
  /**
   * CPU priority of the compaction worker's thread. `'low'` (default): on Linux the thread runs at the
   * lowest priority (nice +19, below V8's helper threads, which `helperThreadPriority` lowers by 10),
   * from the moment it is created (the main thread lowers it then, so Node's bootstrap of the thread
   * does not compete with it either), so that the main thread, the garbage collector's helpers and
   * libuv's threads run first when the cores are busy, as RocksDB does with its compaction threads; on other
   * systems it keeps the process's priority. `'normal'`: the process's priority everywhere. On a
   * 2-core machine, `'low'` cut the main thread's log appends that took over 1 ms during a 1M-entry
   * awaited fill from 43–63 to 13–17 per run, and awaited fills ran 5–10% faster; but fills in
   * batches of 1,000, which wait for compaction at the end, ran ~10% slower on a busy machine
   * (254–269k against 290–294k puts/s). Choose `'normal'` for bulk loads that compete with other
   * processes for the cores.
   */
  compactionThreadPriority?: CompactionThreadPriority;
  /**
   * CPU priority of V8's helper threads (its optimizing compiler and garbage-collector helpers) while
   * the database is open. `'low'` (default): on Linux, Node's V8 platform threads run 10 nice steps
   * lower (as the compaction worker does; at most 19) from open until the last handle that asked for it closes, then get their
   * priority back; the main thread, libuv's pool and other threads are untouched, and other systems
   * are unchanged. The engine answers calls on the main thread, and on a machine with few cores these
   * helpers took it from the event loop: a loop of awaited gets after a load on 2 cores had its 1 ms
   * timer late by ~4 ms every ~8 ms while three or four of them compiled the read path (p99 3.9–4.4
   * ms; 0.7–1.1 ms with `'low'`, the same throughput). Browsers run such work at background priority;
   * Node does not. `'normal'`: leave them alone (for example when the process has cores to spare).
   */
  helperThreadPriority?: CompactionThreadPriority;
  /**
   * A compaction worker supplied by the host, used instead of Node's worker thread where the
   * configuration allows a worker (the conditions of `compactionThread`, but for the file system,
   * which the supplier answers for): `@velocity/browser` passes one that runs merges and memtable
   * flushes in a second browser worker with its own OPFS handles. It receives jobs as plain data (the
   * `MergeWorker` interface and `runMergeJob` are in `@velocity/db/compaction-worker`), must report
   * outputs only once they are durable, and never touches the manifest. The database owns it: it is
   * closed at `close()`, or at open when it goes unused (`compactionThread: 'main'`, or an ineligible
   * configuration under `'auto'`).
   */
  compactionWorker?: MergeWorker;
  /**
   * Open without a lock and never change the directory, beside a process that writes it: the handle
   * reads the state as of its open, `db.refresh()` catches up with the writer, and every write rejects
   * with `OPENED_READ_ONLY`. The database must exist. Default `false`. See the guide's chapter on
   * readers, checkpoints and backups.
   */
  readOnly?: boolean;
  /**
   * Called by compactions for the newest value of each key that no snapshot sees, with the key, the
   * value and the output level; it keeps the entry (`'keep'`), drops it (`'drop'`: the key then reads
   * as deleted) or replaces its value (`{ value }`). A database with a filter runs every merge on the
   * main thread (in slices), never in the compaction worker, because a function cannot be sent to
   * another thread. A filter that throws fails the compaction and makes the database read-only.
   */
  compactionFilter?: CompactionFilter;
  /**
   * Time to live of every put that gives neither `ttl` nor `expiresAt`, in milliseconds. Default:
   * none (values never expire).
   */
  defaultTtl?: number;
  /**
   * The time in milliseconds since the epoch, used to compute and judge expiry times. Default
   * `Date.now`; tests pass a fake clock.
   */
  clock?: () => number;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  fs: FileSystem;
  createIfMissing: boolean;
  errorIfExists: boolean;
  memtableSize: number;
  blockSize: number;
  blockRestartInterval: number;
  /** Bytes (`'auto'` resolved). */
  memoryBudget: number;
  blockCache: Cache<string, Uint8Array> | null;
  /** Recycled memory of the blocks the default cache evicts (undefined with a caller's cache). */
  blockPool: BlockPool | undefined;
  filterPolicy: FilterPolicy | null;
  compression: Codec;
  codecs: readonly Codec[];
  compaction: CompactionStrategy;
  comparator: Comparator;
  sync: boolean;
  recoveryMode: RecoveryMode;
  maxOpenFiles: number;
  maxManifestSize: number;
  backgroundSliceMs: number;
  memtableFactory: (comparator: Comparator) => MemTable;
  compactionThread: CompactionThreadMode;
  compactionThreadPriority: CompactionThreadPriority;
  helperThreadPriority: CompactionThreadPriority;
  readOnly: boolean;
  compactionFilter: CompactionFilter | undefined;
  defaultTtl: number | undefined;
  clock: () => number;
}

const COMPACTION_THREADS: readonly CompactionThreadMode[] = ['auto', 'worker', 'main'];
const THREAD_PRIORITIES: readonly CompactionThreadPriority[] = ['low', 'normal'];

function threadPriority(name: string, value: CompactionThreadPriority | undefined): CompactionThreadPriority {
  const priority = value ?? 'low';
  if (!THREAD_PRIORITIES.includes(priority)) {
    throw invalidArgument(`option ${name} must be one of ${THREAD_PRIORITIES.join(', ')}`);
  }
  return priority;
}

/** Default memtable budget on Node: 16 MiB (see {@link DBOptions.memtableSize}). */
export const DEFAULT_MEMTABLE_SIZE = 16 * 1024 * 1024;
/** Default memtable budget outside Node (browsers): 4 MiB (see {@link DBOptions.memtableSize}). */
export const DEFAULT_MEMTABLE_SIZE_OTHER = 4 * 1024 * 1024;
/**
 * The compaction strategy used when none is given: {@link LeveledCompaction} with level 1's byte
 * target as large as level 0 holds at its compaction trigger (4 memtables; LevelDB's 10 MiB at
 * least), as RocksDB's tuning guide advises. With 16 MiB memtables, LevelDB's fixed 10 MiB made
 * level 1 a pass-through: each level-0 compaction left it 6× over target and its contents were
 * rewritten into level 2 at once, and a 3M-entry database needed a third level. Measured on 3M
 * random batched puts (100-byte values): write amplification 5.1 → 4.7, two levels instead of three.
 */
export function defaultCompaction(memtableSize: number): LeveledCompaction {
  return new LeveledCompaction({ maxBytesForLevelBase: Math.max(10 * 1024 * 1024, 4 * memtableSize) });
}

/** Default block cache capacity (when the memory budget allows): 8 MiB. */
export const DEFAULT_BLOCK_CACHE_SIZE = 8 * 1024 * 1024;

const RECOVERY_MODES: readonly RecoveryMode[] = [
  'tolerate-corrupted-tail',
  'absolute-consistency',
  'point-in-time',
  'skip-any-corrupted',
];

function positiveInteger(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalidArgument(`option ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidArgument(`option ${name} must be a boolean`);
  return value;
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return methods.every((m) => typeof record[m] === 'function');
}

/** Fills in defaults and checks types; throws `INVALID_ARGUMENT` for a malformed option. */
export function resolveOptions(options: DBOptions, fs: FileSystem): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw invalidArgument('options must be an object');
  const comparator = options.comparator ?? bytewiseComparator;
  if (!hasMethods(comparator, ['compare', 'findShortestSeparator', 'findShortSuccessor'])) {
    throw invalidArgument('option comparator must implement Comparator');
  }
  if (typeof comparator.name !== 'string' || comparator.name === '') {
    throw invalidArgument('option comparator must have a non-empty name');
  }
  const memtableSize = positiveInteger(
    'memtableSize',
    options.memtableSize,
    isNode() ? DEFAULT_MEMTABLE_SIZE : DEFAULT_MEMTABLE_SIZE_OTHER,
    1024,
  );
  const compaction = options.compaction ?? defaultCompaction(memtableSize);
  if (!hasMethods(compaction, ['pickCompaction']) || !(compaction.numLevels >= 1)) {
    throw invalidArgument('option compaction must implement CompactionStrategy');
  }
  const recoveryMode = options.recoveryMode ?? 'tolerate-corrupted-tail';
  if (!RECOVERY_MODES.includes(recoveryMode)) {
    throw invalidArgument(`option recoveryMode must be one of ${RECOVERY_MODES.join(', ')}`);
  }
  const memoryBudget =
    options.memoryBudget === undefined || options.memoryBudget === 'auto'
      ? autoMemoryBudget()
      : positiveInteger('memoryBudget', options.memoryBudget, 0, 0);
  // The default cache gives the blocks it evicts to a pool that the next misses read into; a cache
  // the caller brings has no such hook, and its misses read into fresh memory.
  const blockPool = options.blockCache === undefined ? new BlockPool() : undefined;
  const blockCache =
    options.blockCache === undefined
      ? createDefaultCache<string, Uint8Array>(
          Math.max(1, Math.min(DEFAULT_BLOCK_CACHE_SIZE, memoryBudget)),
          (_key, block) => blockPool?.release(block),
        )
      : options.blockCache;
  if (blockCache !== null && !hasMethods(blockCache, ['get', 'set', 'delete', 'stats'])) {
    throw invalidArgument('option blockCache must implement Cache (or be null)');
  }
  const filterPolicy = options.filterPolicy === undefined ? new BloomFilterPolicy(10) : options.filterPolicy;
  if (filterPolicy !== null && !hasMethods(filterPolicy, ['createFilter', 'keyMayMatch'])) {
    throw invalidArgument('option filterPolicy must implement FilterPolicy (or be null)');
  }
  const compression = options.compression ?? noCompression;
  if (!hasMethods(compression, ['compress', 'decompress'])) {
    throw invalidArgument('option compression must be a Codec');
  }
  const compactionThread = options.compactionThread ?? 'auto';
  if (!COMPACTION_THREADS.includes(compactionThread)) {
    throw invalidArgument(`option compactionThread must be one of ${COMPACTION_THREADS.join(', ')}`);
  }
  const compactionThreadPriority = threadPriority(
    'compactionThreadPriority',
    options.compactionThreadPriority,
  );
  const helperThreadPriority = threadPriority('helperThreadPriority', options.helperThreadPriority);
  if (options.memtableFactory !== undefined && typeof options.memtableFactory !== 'function') {
    throw invalidArgument('option memtableFactory must be a function');
  }
  if (options.compactionFilter !== undefined && typeof options.compactionFilter !== 'function') {
    throw invalidArgument('option compactionFilter must be a function');
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw invalidArgument('option clock must be a function');
  }
  return {
    fs,
    createIfMissing: bool('createIfMissing', options.createIfMissing, true),
    errorIfExists: bool('errorIfExists', options.errorIfExists, false),
    memtableSize,
    blockSize: positiveInteger('blockSize', options.blockSize, 4096, 64),
    blockRestartInterval: positiveInteger('blockRestartInterval', options.blockRestartInterval, 16),
    memoryBudget,
    blockCache,
    blockPool,
    filterPolicy,
    compression,
    codecs: options.codecs ?? [],
    compaction,
    comparator,
    sync: bool('sync', options.sync, false),
    recoveryMode,
    maxOpenFiles: positiveInteger('maxOpenFiles', options.maxOpenFiles, 500, 8),
    maxManifestSize: positiveInteger('maxManifestSize', options.maxManifestSize, 4 * 1024 * 1024, 1024),
    backgroundSliceMs: positiveInteger('backgroundSliceMs', options.backgroundSliceMs, 1),
    memtableFactory:
      options.memtableFactory ?? ((c) => new SkipListMemTable(c, { expectedBytes: memtableSize })),
    compactionThread,
    compactionThreadPriority,
    helperThreadPriority,
    readOnly: bool('readOnly', options.readOnly, false),
    compactionFilter: options.compactionFilter,
    defaultTtl: defaultTtlOption(options.defaultTtl),
    clock: options.clock ?? Date.now,
  };
}
