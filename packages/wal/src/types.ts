/**
 * How a log reader treats damage, from strictest to most lenient. The names follow RocksDB's
 * WAL recovery modes.
 */
export type RecoveryMode =
  /** Default. A damaged or partial record at the very end (a torn write) is cut silently; damage
   * anywhere before the tail is an error (`CORRUPTION`). */
  | 'tolerate-corrupted-tail'
  /** Any damage, including a torn tail, is an error. */
  | 'absolute-consistency'
  /** Stop at the first damage and return the records before it; report what was dropped. */
  | 'point-in-time'
  /** Skip damaged records, keep reading; report every drop. */
  | 'skip-any-corrupted';

/** One stretch of bytes a reader dropped, and why. */
export interface DroppedBytes {
  /** File offset where the dropped stretch begins. */
  offset: number;
  /** How many bytes were dropped. */
  bytes: number;
  /** Human-readable reason, for example `checksum mismatch` or `partial record at end of file`. */
  reason: string;
}
