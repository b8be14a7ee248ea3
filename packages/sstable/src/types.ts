import type { BlockPool } from './block-pool.js';
import type { Cache } from '@velocity/block-cache';
import type { FilterPolicy } from '@velocity/bloom';
import type { Comparator } from '@velocity/core';

/**
 * A block compression codec. `id` is persisted in every block trailer (one byte), so ids are global and
 * permanent: 0 = none, 1 = reserved (Snappy in LevelDB), 2 = reserved, 3 = lz4, 4 = deflate (raw).
 */
export interface Codec {
  /** Persisted one-byte identifier. */
  readonly id: number;
  /** Human-readable name, for example `lz4`. */
  readonly name: string;
  /** Compresses a block. */
  compress(input: Uint8Array): Uint8Array;
  /** Decompresses a block; throws `CORRUPTION` on malformed input. */
  decompress(input: Uint8Array): Uint8Array;
}

/** Options of a table writer. */
export interface TableBuilderOptions {
  /** Key order; its name is recorded in the table. Default: bytewise. */
  comparator?: Comparator;
  /** Filter policy for the table's filter block; none by default. */
  filterPolicy?: FilterPolicy;
  /**
   * Maps a key to what goes into the filter (default: the key itself). The database passes a function
   * that strips the internal-key trailer so filters hold user keys.
   */
  filterKey?: (key: Uint8Array) => Uint8Array;
  /** Target uncompressed size of data blocks in bytes. Default 4096. */
  blockSize?: number;
  /** Keys between restart points in data blocks. Default 16. */
  blockRestartInterval?: number;
  /** Codec for data blocks; default none. A block that does not shrink by 1/8 is stored uncompressed. */
  compression?: Codec;
}

/** What a finished table says about itself (also stored in its properties block). */
export interface TableProperties {
  /** Number of entries. */
  entries: number;
  /** Number of data blocks. */
  dataBlocks: number;
  /** Sum of uncompressed key bytes. */
  rawKeyBytes: number;
  /** Sum of uncompressed value bytes. */
  rawValueBytes: number;
  /** Bytes of data blocks as stored (after compression, with trailers). */
  dataBytes: number;
  /** Bytes of the filter block. */
  filterBytes: number;
  /** Bytes of the index block. */
  indexBytes: number;
  /** Total file size. */
  fileSize: number;
  /** Smallest key (an empty array for an empty table). */
  smallestKey: Uint8Array;
  /** Largest key (an empty array for an empty table). */
  largestKey: Uint8Array;
  /** Name of the comparator. */
  comparatorName: string;
  /** Name of the filter policy ('' if none). */
  filterPolicyName: string;
  /** Name of the codec of the data blocks. */
  compressionName: string;
  /** Target data block size the table was written with. */
  blockSize: number;
  /** Restart interval of the data blocks the table was written with. */
  blockRestartInterval: number;
}

/** Options of a table reader. */
export interface TableReaderOptions {
  /** Must have the name recorded in the table, or opening fails with `INVALID_ARGUMENT`. */
  comparator?: Comparator;
  /** Used when its name matches the one recorded in the table; otherwise the filter is ignored. */
  filterPolicy?: FilterPolicy;
  /** Same mapping the writer used (see {@link TableBuilderOptions.filterKey}). */
  filterKey?: (key: Uint8Array) => Uint8Array;
  /** Cache for uncompressed data blocks, keyed by `${cacheId}:${blockOffset}`. */
  blockCache?: Cache<string, Uint8Array>;
  /**
   * Recycled memory for blocks read into the cache; give it the cache's evicted blocks (the cache's
   * `onEvict` calls `pool.release(value)`) and misses re-use their memory (see `BlockPool`). Used only
   * with `blockCache` and files that have `readInto`.
   */
  blockPool?: BlockPool;
  /** Unique id of this file within the cache (the database uses its file number). */
  cacheId?: number | string;
  /** Extra codecs that may appear in the file (none and the built-ins are always known). */
  codecs?: readonly Codec[];
}

/** A key/value found in a table. Views; copy to keep beyond the next call on the reader. */
export interface TableEntry {
  /** The key. */
  key: Uint8Array;
  /** The value. */
  value: Uint8Array;
}
