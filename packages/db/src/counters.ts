/**
 * The engine's counters behind `db.stats()`.
 * @module
 */

/** Counters behind `db.stats()`. */
export interface EngineCounters {
  /** Key and value bytes of acknowledged writes. */
  userBytes: number;
  /** Records (puts and deletes) written. */
  userWrites: number;
  /** Write groups committed (log records). */
  groups: number;
  /** Log fsyncs. */
  syncs: number;
  /** Bytes appended to write-ahead logs. */
  walBytes: number;
  flushes: number;
  flushBytes: number;
  compactions: number;
  trivialMoves: number;
  compactionBytesRead: number;
  compactionBytesWritten: number;
  stalls: number;
  stallMs: number;
  obsoleteFilesDeleted: number;
}

/** Counters at zero. */
export function newCounters(): EngineCounters {
  return {
    userBytes: 0,
    userWrites: 0,
    groups: 0,
    syncs: 0,
    walBytes: 0,
    flushes: 0,
    flushBytes: 0,
    compactions: 0,
    trivialMoves: 0,
    compactionBytesRead: 0,
    compactionBytesWritten: 0,
    stalls: 0,
    stallMs: 0,
    obsoleteFilesDeleted: 0,
  };
}
