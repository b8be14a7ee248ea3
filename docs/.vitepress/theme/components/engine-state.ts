// Reads what the playground draws from a live database: memtable fill and the files of each level.
import { fromUtf8 } from '@velocity/core';
import type { DBStats } from '@velocity/db';

/** One table file as drawn. */
export interface DrawnFile {
  fileNumber: number;
  bytes: number;
  entries: number;
  smallest: string;
  largest: string;
}

/** The engine's shape at one moment. */
export interface EngineState {
  memtableBytes: number;
  memtableSize: number;
  levels: { level: number; files: DrawnFile[] }[];
  sequence: number;
}

function text(bytes: Uint8Array): string {
  return fromUtf8(bytes);
}

/** Takes the current shape from the database's `stats()`. */
export function readEngineState(stats: DBStats, memtableSize: number): EngineState {
  return {
    memtableBytes: stats.memtableBytes,
    memtableSize,
    sequence: stats.lastSequence,
    levels: stats.levels.map((level) => ({
      level: level.level,
      files: level.tables.map((f) => ({
        fileNumber: f.fileNumber,
        bytes: f.bytes,
        entries: f.entries,
        smallest: text(f.smallestKey),
        largest: text(f.largestKey),
      })),
    })),
  };
}

/**
 * The files a point read consults, in order, when the key is not in a memtable: every level-0 file
 * whose key range covers the key (newest first), then the one file per deeper level that covers it.
 * The read stops at the first of these that holds a version of the key.
 */
export function filesConsulted(state: EngineState, key: string): { level: number; fileNumber: number }[] {
  const out: { level: number; fileNumber: number }[] = [];
  for (const { level, files } of state.levels) {
    const covering = files.filter((f) => f.smallest <= key && key <= f.largest);
    if (level === 0) covering.sort((a, b) => b.fileNumber - a.fileNumber);
    for (const f of covering) out.push({ level, fileNumber: f.fileNumber });
  }
  return out;
}

/** The levels that hold tables, for a log line: `L1 (2 tables), L2 (1 table)`, or '' when none do. */
export function describeLevels(state: EngineState): string {
  return state.levels
    .filter((level) => level.files.length > 0)
    .map(({ level, files }) => `L${level} (${files.length} table${files.length === 1 ? '' : 's'})`)
    .join(', ');
}
