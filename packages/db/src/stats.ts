/**
 * `db.stats()` and `db.getProperty()`.
 * @module
 */
import type { CacheStats } from '@velocity/block-cache';
import { toHex } from '@velocity/core';
import type { Engine } from './engine.js';
import type { MemoryUse } from './memory-budget.js';
import type { Reader } from './read.js';

/** Files and bytes of one level. */
export interface LevelStats {
  /** The level number (0 is the newest). */
  level: number;
  /** Table files in the level. */
  files: number;
  /** Bytes of the level's table files. */
  bytes: number;
  /** Entries (versions and tombstones) in the level's tables. */
  entries: number;
  /** The level's tables: newest first in level 0, in key order below. */
  tables: TableStats[];
}

/** One table file as `db.stats()` describes it. */
export interface TableStats {
  /** File number (`NNNNNN.sst`). */
  fileNumber: number;
  /** File size in bytes. */
  bytes: number;
  /** Entries (versions and tombstones). */
  entries: number;
  /** Smallest user key in the table. */
  smallestKey: Uint8Array;
  /** Largest user key in the table. */
  largestKey: Uint8Array;
}

/** A snapshot of the engine's counters and shape. */
export interface DBStats {
  /** Per level, level 0 first (every level the strategy uses). */
  levels: LevelStats[];
  /** Table files in all levels. */
  files: number;
  /** Bytes of table files in all levels. */
  bytes: number;
  /** Approximate bytes held by the active memtable. */
  memtableBytes: number;
  /** Approximate bytes held by the memtable being flushed (0 if none). */
  immutableMemtableBytes: number;
  /** Sequence number of the last write. */
  lastSequence: number;
  /** Live snapshots. */
  snapshots: number;
  /** Open iterators. */
  openIterators: number;
  /** Versions (sets of live files) still referenced, the current one included. */
  liveVersions: number;
  /** Write path since open. */
  writes: {
    /** Put and delete records written. */
    records: number;
    /** Write groups committed: concurrent writes batched into one log record. */
    groups: number;
    /** Log syncs. */
    syncs: number;
    /** Bytes of keys and values written by the application. */
    userBytes: number;
    /** Bytes appended to the write-ahead log. */
    walBytes: number;
  };
  /** Memtable flushes since open. */
  flushes: {
    /** Flushes done. */
    count: number;
    /** Bytes of the tables they wrote. */
    bytes: number;
  };
  /** Compactions since open (trivial moves counted apart). */
  compactions: {
    /** Compactions that rewrote files. */
    count: number;
    /** Files moved to another level without rewriting. */
    trivialMoves: number;
    /** Key and value bytes read. */
    bytesRead: number;
    /** Bytes of output files written. */
    bytesWritten: number;
  };
  /** Times writes waited for background work, and the total wait. */
  stalls: {
    /** Times writes waited. */
    count: number;
    /** Total milliseconds waited. */
    ms: number;
  };
  /**
   * Bytes written to storage (logs, flushed and compacted tables) per byte of keys and values written
   * by the application, since open. 0 before the first write.
   */
  writeAmplification: number;
  /** Bytes written to storage since open: logs plus flushed and compacted tables. */
  bytesWritten: number;
  /** Block cache counters with the policy's name and hit ratio; undefined without a block cache. */
  blockCache:
    | (CacheStats & {
        /** The cache policy's name, for example `s3-fifo`. */
        name: string;
        /** Hits / (hits + misses), 0 before the first lookup. */
        hitRatio: number;
      })
    | undefined;
  /** Memory held for table contents, against `memoryBudget` (bytes). */
  memory: MemoryUse;
  /** Open table readers, and readers opened since open. */
  tableCache: {
    /** Table readers open now. */
    open: number;
    /** Table readers opened since open. */
    opened: number;
  };
  /** Read path since open. */
  reads: {
    /** Point lookups. */
    gets: number;
    /** Point lookups answered by a memtable (the active one or the one being flushed). */
    memtableHits: number;
    /** Table files searched by point lookups. */
    tableProbes: number;
    /** Iterators created. */
    iterators: number;
  };
  /** Name of the compaction strategy. */
  compactionStrategy: string;
  /** True after a write-path I/O error (writes fail with READ_ONLY until reopened). */
  readOnly: boolean;
}

/** Builds {@link DBStats}. */
export function collectStats(engine: Engine, reader: Reader): DBStats {
  const version = engine.versions.current;
  const levels: LevelStats[] = version.levels.map((files, level) => {
    let bytes = 0;
    let entries = 0;
    for (const f of files) {
      bytes += f.size;
      entries += f.entries;
    }
    const tables = files.map((f) => ({
      fileNumber: f.id,
      bytes: f.size,
      entries: f.entries,
      smallestKey: f.smallestKey.slice(),
      largestKey: f.largestKey.slice(),
    }));
    return { level, files: files.length, bytes, entries, tables };
  });
  const c = engine.counters;
  const cache = engine.options.blockCache;
  let blockCache: DBStats['blockCache'];
  if (cache !== null) {
    const s = cache.stats();
    const lookups = s.hits + s.misses;
    blockCache = { ...s, name: cache.name, hitRatio: lookups === 0 ? 0 : s.hits / lookups };
  }
  const written = c.walBytes + c.flushBytes + c.compactionBytesWritten;
  return {
    levels,
    files: levels.reduce((n, l) => n + l.files, 0),
    bytes: levels.reduce((n, l) => n + l.bytes, 0),
    memtableBytes: engine.mem.approximateMemoryUsage(),
    immutableMemtableBytes: engine.imm?.approximateMemoryUsage() ?? 0,
    lastSequence: engine.versions.lastSequence,
    snapshots: engine.snapshots.size,
    openIterators: reader.openIteratorCount,
    liveVersions: engine.versions.liveVersionCount,
    writes: {
      records: c.userWrites,
      groups: c.groups,
      syncs: c.syncs,
      userBytes: c.userBytes,
      walBytes: c.walBytes,
    },
    flushes: { count: c.flushes, bytes: c.flushBytes },
    compactions: {
      count: c.compactions,
      trivialMoves: c.trivialMoves,
      bytesRead: c.compactionBytesRead,
      bytesWritten: c.compactionBytesWritten,
    },
    stalls: { count: c.stalls, ms: c.stallMs },
    writeAmplification: c.userBytes === 0 ? 0 : written / c.userBytes,
    bytesWritten: written,
    blockCache,
    memory: engine.memory.use(),
    tableCache: { open: engine.tables.size, opened: engine.tables.opened },
    reads: {
      gets: reader.counters.gets,
      memtableHits: reader.counters.memtableHits,
      tableProbes: reader.counters.probes,
      iterators: reader.counters.iterators,
    },
    compactionStrategy: engine.options.compaction.name,
    readOnly: engine.backgroundError !== undefined,
  };
}

function printable(key: Uint8Array): string {
  for (let i = 0; i < key.length; i++) if (key[i] < 0x20 || key[i] > 0x7e) return `0x${toHex(key)}`;
  return JSON.stringify(new TextDecoder().decode(key));
}

/** Properties that are a figure of {@link collectStats}, by name (after the `velocity.` prefix). */
const FROM_STATS = new Map<string, (s: DBStats) => string>(
  Object.entries({
    stats: formatStats,
    'approximate-memory-usage': (s) => String(s.memtableBytes + s.immutableMemtableBytes),
    'last-sequence': (s) => String(s.lastSequence),
    'num-snapshots': (s) => String(s.snapshots),
    'num-open-iterators': (s) => String(s.openIterators),
    'live-versions': (s) => String(s.liveVersions),
    'compaction-strategy': (s: DBStats) => s.compactionStrategy,
  }),
);

/** The `stats` property: a table of levels and the main counters, as text. */
function formatStats(s: DBStats): string {
  const lines = ['level  files        bytes      entries'];
  for (const l of s.levels) {
    lines.push(
      `L${String(l.level).padEnd(5)} ${String(l.files).padStart(5)} ${String(l.bytes).padStart(12)} ${String(l.entries).padStart(12)}`,
    );
  }
  lines.push(`memtable bytes: ${s.memtableBytes} (+${s.immutableMemtableBytes} flushing)`);
  lines.push(`writes: ${s.writes.records} records in ${s.writes.groups} groups, ${s.writes.syncs} syncs`);
  lines.push(`flushes: ${s.flushes.count} (${s.flushes.bytes} bytes)`);
  lines.push(
    `compactions: ${s.compactions.count} (+${s.compactions.trivialMoves} moves), read ${s.compactions.bytesRead}, wrote ${s.compactions.bytesWritten}`,
  );
  lines.push(`write amplification: ${s.writeAmplification.toFixed(2)}`);
  lines.push(`stalls: ${s.stalls.count} (${s.stalls.ms} ms)`);
  if (s.blockCache) {
    lines.push(`block cache ${s.blockCache.name}: hit ratio ${(s.blockCache.hitRatio * 100).toFixed(1)}%`);
  }
  const m = s.memory;
  lines.push(
    `memory budget ${m.budget}: block cache ${m.blockCache}, pinned ${m.pinned}, resident ${m.resident} (${m.residentTables} tables)`,
  );
  return lines.join('\n');
}

/** The `sstables` property: every table of every level with its key and sequence range. */
function formatTables(engine: Engine): string {
  const lines: string[] = [];
  engine.versions.current.levels.forEach((files, i) => {
    lines.push(`--- level ${i} ---`);
    for (const f of files) {
      lines.push(
        ` ${f.id}:${f.size}[${printable(f.smallestKey)} @${f.smallestSequence} .. ${printable(f.largestKey)} @${f.largestSequence}]`,
      );
    }
  });
  return lines.join('\n');
}

/**
 * The value of a named property, or undefined for an unknown name. Names take a `velocity.` prefix
 * (LevelDB's `leveldb.` prefix works too): `num-files-at-level<N>`, `stats`, `sstables`,
 * `approximate-memory-usage`, `last-sequence`, `num-snapshots`, `num-open-iterators`,
 * `live-versions`, `manifest-number`, `log-number`, `background-error`, `compaction-strategy`.
 */
export function getProperty(engine: Engine, reader: Reader, name: string): string | undefined {
  if (typeof name !== 'string') return undefined;
  const m = /^(?:velocity|leveldb)\.(.+)$/.exec(name);
  if (m === null) return undefined;
  const prop = m[1];
  const fromStats = FROM_STATS.get(prop);
  if (fromStats !== undefined) return fromStats(collectStats(engine, reader));
  const level = /^num-files-at-level(\d+)$/.exec(prop);
  if (level !== null) return collectStats(engine, reader).levels[Number(level[1])]?.files.toString();
  switch (prop) {
    case 'sstables':
      return formatTables(engine);
    case 'manifest-number':
      return String(engine.versions.manifestFileNumber);
    case 'log-number':
      return String(engine.logNumber);
    case 'background-error':
      return engine.backgroundError?.message ?? '';
    default:
      return undefined;
  }
}
