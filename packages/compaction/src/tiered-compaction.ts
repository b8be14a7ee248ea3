import { totalSize } from './key-ranges.js';
import { mergeAllRuns, mergeNewestRuns, type SortedRun, sortedRuns } from './sorted-runs.js';
import type { CompactionStrategy, CompactionTask, LevelsView } from './types.js';

/** Size of the output files of tiered merges. */
const TIERED_FILE_SIZE = 64 * 1024 * 1024;

/** Options of {@link TieredCompaction}. */
export interface TieredCompactionOptions {
  /** Levels available for sorted runs (default 7). */
  numLevels?: number;
  /** Merge once there are at least this many sorted runs (default 4). */
  minMergeWidth?: number;
  /** A run joins a merge when its size is at most (100 + sizeRatio)% of the runs before it (default 20). */
  sizeRatio?: number;
  /** Merge everything when the newer runs exceed this percentage of the oldest run's size (default 200). */
  maxSpaceAmplificationPercent?: number;
  /** With no runs of similar size, merge the newest ones once there are more than this many runs (default 8). */
  maxRuns?: number;
  /** Writes slow down at this many sorted runs (default 12). */
  slowdownRuns?: number;
  /** Writes stop at this many sorted runs (default 20). */
  stopRuns?: number;
}

/**
 * Size-tiered ("universal") compaction: the tree is a list of sorted runs (each level-0 file, and each
 * non-empty deeper level), newest first. Runs of similar size are merged once `minMergeWidth` of them
 * exist, and everything is merged when the newer runs grow beyond `maxSpaceAmplificationPercent` of the
 * oldest one. Each byte is rewritten about once per tier, so write amplification is lower than
 * leveling's; the price is more runs to read and up to ~3× space before a full merge.
 *
 * A merge always takes the newest runs (a prefix of the list) and writes to the deepest level that is
 * still above every run it leaves alone, so newer data always stays in shallower levels.
 */
export class TieredCompaction implements CompactionStrategy {
  readonly name = 'tiered';
  readonly numLevels: number;
  private readonly minMergeWidth: number;
  private readonly sizeRatio: number;
  private readonly maxSpaceAmplification: number;
  private readonly slowdownRuns: number;
  private readonly stopRuns: number;
  private readonly maxRuns: number;

  constructor(options: TieredCompactionOptions = {}) {
    this.numLevels = options.numLevels ?? 7;
    if (this.numLevels < 2) throw new RangeError('TieredCompaction needs at least 2 levels');
    this.minMergeWidth = Math.max(2, options.minMergeWidth ?? 4);
    this.sizeRatio = options.sizeRatio ?? 20;
    this.maxSpaceAmplification = (options.maxSpaceAmplificationPercent ?? 200) / 100;
    this.maxRuns = Math.max(this.minMergeWidth, options.maxRuns ?? 8);
    this.slowdownRuns = options.slowdownRuns ?? 12;
    this.stopRuns = options.stopRuns ?? 20;
  }

  /** The sorted runs, newest first. */
  runs(view: LevelsView): SortedRun[] {
    return sortedRuns(view);
  }

  pickCompaction(view: LevelsView): CompactionTask | undefined {
    const runs = this.runs(view);
    if (runs.length < this.minMergeWidth) return undefined;
    const oldest = runs[runs.length - 1];
    const newer = totalSize(runs.slice(0, -1).flatMap((r) => r.files));
    if (oldest.size > 0 && newer / oldest.size > this.maxSpaceAmplification) {
      return this.merge(
        view,
        runs,
        runs.length,
        `space amplification ${(newer / oldest.size).toFixed(2)} > ${this.maxSpaceAmplification}`,
      );
    }
    // Size ratio: take newest runs while the next one is not much bigger than what is taken so far.
    let taken = 1;
    let size = runs[0].size;
    while (taken < runs.length && runs[taken].size <= size * (1 + this.sizeRatio / 100)) {
      size += runs[taken].size;
      taken++;
    }
    if (taken >= this.minMergeWidth) return this.merge(view, runs, taken, `${taken} runs of similar size`);
    if (runs.length > this.maxRuns) {
      return this.merge(
        view,
        runs,
        runs.length - this.maxRuns + 1,
        `${runs.length} sorted runs > ${this.maxRuns}`,
      );
    }
    return undefined;
  }

  /** Merges the newest `count` runs (>= 2). */
  private merge(
    view: LevelsView,
    runs: readonly SortedRun[],
    count: number,
    reason: string,
  ): CompactionTask | undefined {
    return mergeNewestRuns(view, runs, count, reason, TIERED_FILE_SIZE);
  }

  pickRangeCompaction(view: LevelsView): CompactionTask | undefined {
    return mergeAllRuns(view, this.runs(view), TIERED_FILE_SIZE);
  }

  writePressure(view: LevelsView): 'ok' | 'slowdown' | 'stop' {
    const n = this.runs(view).length;
    if (n >= this.stopRuns) return 'stop';
    if (n >= this.slowdownRuns) return 'slowdown';
    return 'ok';
  }
}
