/**
 * The read-only description of one table file that compaction strategies see. Keys here are *user*
 * keys: the engine guarantees that in levels >= 1 no user key spans two files, so user-key ranges of
 * files within such a level never overlap. Level 0 files may overlap each other.
 */
export interface FileMeta {
  /** File number (unique, increasing with creation). */
  readonly id: number;
  /** Size in bytes. */
  readonly size: number;
  /** Number of entries (versions and tombstones included). */
  readonly entries: number;
  /** Number of tombstones, if known (0 otherwise). */
  readonly tombstones: number;
  /** Number of range tombstones, if known (absent or 0 otherwise). */
  readonly rangeTombstones?: number;
  /** Smallest user key in the file. */
  readonly smallestKey: Uint8Array;
  /** Largest user key in the file. */
  readonly largestKey: Uint8Array;
  /** Smallest sequence number in the file. */
  readonly smallestSequence: number;
  /** Largest sequence number in the file. */
  readonly largestSequence: number;
}

/**
 * The shape of the tree. `levels[0]` holds level-0 files, newest (largest id) first; each later level
 * is one sorted run ordered by key. Data in a lower-numbered level is always newer than data for the
 * same user key in a higher-numbered level; strategies must keep that true.
 */
export interface LevelsView {
  /** Files per level, `levels.length === numLevels`. */
  readonly levels: readonly (readonly FileMeta[])[];
  /** Orders user keys. */
  compare(a: Uint8Array, b: Uint8Array): number;
  /** Ids of files that are inputs of compactions running now; a strategy must not pick them. */
  readonly busy: ReadonlySet<number>;
}

/** One level's contribution to a compaction. */
export interface CompactionInput {
  /** The level the files come from. */
  readonly level: number;
  /** The files, in key order for levels >= 1, newest first for level 0. */
  readonly files: readonly FileMeta[];
}

/** A unit of work a strategy asks the engine to perform. */
export interface CompactionTask {
  /** Inputs by level, shallowest level first. */
  readonly inputs: readonly CompactionInput[];
  /** Level the output goes to; >= every input level. */
  readonly outputLevel: number;
  /** Split outputs into files of about this many bytes. */
  readonly targetFileSize: number;
  /**
   * True when no level deeper than `outputLevel` holds data overlapping the inputs' key range, so
   * tombstones and shadowed versions invisible to every snapshot may be dropped.
   */
  readonly bottommost: boolean;
  /**
   * True when the single input file may simply be re-labelled into `outputLevel` without rewriting
   * (it overlaps nothing there, and the move keeps level invariants).
   */
  readonly trivialMove?: boolean;
  /** Why the task was chosen, for logs and stats (for example `L0 files 4 >= 4`). */
  readonly reason: string;
}

/**
 * A compaction strategy is a pure controller: it looks at the levels and says what to do next. It
 * performs no I/O and holds no file handles, so it can run inside a simulator. It may keep state
 * between calls (for example a per-level compaction pointer).
 */
export interface CompactionStrategy {
  /** Identifier shown in stats, for example `leveled`. */
  readonly name: string;
  /** Number of levels the strategy uses (the engine allocates that many). */
  readonly numLevels: number;
  /**
   * The next task, or undefined when the tree needs no work now. Called after every flush and every
   * finished compaction, and again after a task is returned until it answers undefined or every file
   * it would pick is busy.
   */
  pickCompaction(view: LevelsView): CompactionTask | undefined;
  /**
   * The task for a manual `compactRange`: everything overlapping [start, end] (undefined bound = open)
   * moved to the last non-empty level, or undefined when nothing overlaps.
   */
  pickRangeCompaction?(
    view: LevelsView,
    start: Uint8Array | undefined,
    end: Uint8Array | undefined,
  ): CompactionTask | undefined;
  /**
   * Size in bytes at which the engine cuts the output files of tasks it builds itself (a range
   * compaction of a strategy without {@link CompactionStrategy.pickRangeCompaction}, the rewrite that
   * drops tombstones from the last level). Default 2 MiB.
   */
  readonly targetFileSize?: number;
  /**
   * Whether writes should slow down or stop because level 0 (or the number of sorted runs) is too
   * large: `'ok'`, `'slowdown'` (delay each write a little) or `'stop'` (wait for compaction).
   */
  writePressure?(view: LevelsView): 'ok' | 'slowdown' | 'stop';
}
