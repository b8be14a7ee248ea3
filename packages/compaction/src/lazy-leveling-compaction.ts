import { anyBusy, overlapping, rangeOf, totalSize } from './key-ranges.js';
import { inputsByLevel, mergeAllRuns, mergeNewestRuns, type SortedRun, sortedRuns } from './sorted-runs.js';
import type { CompactionStrategy, CompactionTask, LevelsView } from './types.js';

/** Options of {@link LazyLevelingCompaction}. */
export interface LazyLevelingCompactionOptions {
  /** Levels available for sorted runs, the last one included (default 7). */
  numLevels?: number;
  /**
   * T, the size ratio: runs are merged once T of similar size exist (tiering), and the data above the
   * last level is merged into it once it reaches 1/T of the last level's size (leveling). Default 4.
   */
  sizeRatio?: number;
  /** A run counts as similar when it is at most (100 + this)% of the newer runs taken so far (default 20). */
  similarityPercent?: number;
  /** With no runs of similar size, merge the newest ones once there are more than this many runs (default 8). */
  maxRuns?: number;
  /** Writes slow down at this many sorted runs (default 12). */
  slowdownRuns?: number;
  /** Writes stop at this many sorted runs (default 20). */
  stopRuns?: number;
  /** Size of output files (default 2 MiB); the last level is merged file by file, so keep it small. */
  targetFileSize?: number;
}

/**
 * Lazy leveling (Dostoevsky, Dayan & Idreos, SIGMOD 2018): tiering at every level but the last,
 * leveling at the last. The tree is a list of sorted runs, newest first (each level-0 file, each
 * non-empty deeper level); the oldest run, in the last level, holds most of the data.
 *
 * - **Leveling at the last level.** Once the runs above the last level hold at least 1/T of its bytes,
 *   they are all merged into it, together with only those of its files whose key range they overlap
 *   (files elsewhere in the key space are not rewritten).
 * - **Tiering above.** Otherwise, once T runs of similar size exist among the newest ones, they are
 *   merged into one run, written to the deepest level still above the older runs; a byte is rewritten
 *   about once per tier on its way down.
 *
 * Most updates of a key land in the last level, which stays one sorted run, so space amplification is
 * bounded near 1 + 1/(T-1) as with leveling, and point reads look at one run there; writes cost about
 * T for the last level plus one per tier above, instead of about T per level.
 */
export class LazyLevelingCompaction implements CompactionStrategy {
  readonly name = 'lazy-leveling';
  readonly numLevels: number;
  /** Size at which output files are cut (see {@link LazyLevelingCompactionOptions.targetFileSize}). */
  readonly targetFileSize: number;
  private readonly sizeRatio: number;
  private readonly similarity: number;
  private readonly maxRuns: number;
  private readonly slowdownRuns: number;
  private readonly stopRuns: number;

  constructor(options: LazyLevelingCompactionOptions = {}) {
    this.numLevels = options.numLevels ?? 7;
    if (this.numLevels < 3) throw new RangeError('LazyLevelingCompaction needs at least 3 levels');
    this.sizeRatio = options.sizeRatio ?? 4;
    if (!(this.sizeRatio >= 2)) throw new RangeError('LazyLevelingCompaction sizeRatio must be at least 2');
    this.similarity = 1 + (options.similarityPercent ?? 20) / 100;
    this.maxRuns = Math.max(this.sizeRatio, options.maxRuns ?? 8);
    this.slowdownRuns = options.slowdownRuns ?? 12;
    this.stopRuns = options.stopRuns ?? 20;
    this.targetFileSize = options.targetFileSize ?? 2 * 1024 * 1024;
  }

  pickCompaction(view: LevelsView): CompactionTask | undefined {
    const runs = sortedRuns(view);
    if (runs.length < 2) return undefined;
    const bottom = runs[runs.length - 1];
    const upper = runs.slice(0, -1);
    const upperBytes = totalSize(upper.flatMap((r) => r.files));
    if (upperBytes * this.sizeRatio >= bottom.size) {
      const task = this.intoLastLevel(
        view,
        runs,
        `runs above the last level ${upperBytes} >= 1/${this.sizeRatio} of it`,
      );
      if (task !== undefined) return task;
    }
    // Tiering: the newest runs while the next one is not much bigger than those taken so far.
    let taken = 1;
    let size = upper[0].size;
    while (taken < upper.length && upper[taken].size <= size * this.similarity) {
      size += upper[taken].size;
      taken++;
    }
    if (taken >= this.sizeRatio)
      return mergeNewestRuns(view, runs, taken, `${taken} runs of similar size`, this.targetFileSize);
    if (runs.length > this.maxRuns) {
      // maxRuns >= 2, so this leaves the last level's run alone.
      const count = runs.length - this.maxRuns + 1;
      return mergeNewestRuns(
        view,
        runs,
        count,
        `${runs.length} sorted runs > ${this.maxRuns}`,
        this.targetFileSize,
      );
    }
    return undefined;
  }

  /**
   * Every run merged into the last level: when the oldest run is there, with only its files that
   * overlap the newer runs; otherwise the whole tree is merged into it.
   */
  private intoLastLevel(
    view: LevelsView,
    runs: readonly SortedRun[],
    reason: string,
  ): CompactionTask | undefined {
    const last = this.numLevels - 1;
    const bottom = runs[runs.length - 1];
    if (bottom.level !== last) return mergeNewestRuns(view, runs, runs.length, reason, this.targetFileSize);
    const upper = runs.slice(0, -1);
    const files = upper.flatMap((r) => r.files);
    const [start, end] = rangeOf(view, files);
    const below = overlapping(view, last, start, end);
    if (anyBusy(view, files) || anyBusy(view, below)) return undefined;
    return {
      inputs: inputsByLevel([...upper, { level: last, files: below }].filter((r) => r.files.length > 0)),
      outputLevel: last,
      targetFileSize: this.targetFileSize,
      bottommost: true,
      reason,
    };
  }

  pickRangeCompaction(view: LevelsView): CompactionTask | undefined {
    return mergeAllRuns(view, sortedRuns(view), this.targetFileSize);
  }

  writePressure(view: LevelsView): 'ok' | 'slowdown' | 'stop' {
    const n = sortedRuns(view).length;
    if (n >= this.stopRuns) return 'stop';
    if (n >= this.slowdownRuns) return 'slowdown';
    return 'ok';
  }
}
