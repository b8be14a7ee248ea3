import { anyBusy, rangeOf, totalSize } from './key-ranges.js';
import type { CompactionInput, CompactionTask, FileMeta, LevelsView } from './types.js';

/** A sorted run: one L0 file, or a whole deeper level. Ordered newest first. */
export interface SortedRun {
  /** The level the run lives in. */
  level: number;
  /** Its files, in key order. */
  files: readonly FileMeta[];
  /** Total bytes of its files. */
  size: number;
}

/** The sorted runs of `view`, newest first: each level-0 file (largest id first), then each non-empty level. */
export function sortedRuns(view: LevelsView): SortedRun[] {
  const runs: SortedRun[] = [...view.levels[0]]
    .sort((a, b) => b.id - a.id)
    .map((f) => ({ level: 0, files: [f], size: f.size }));
  for (let level = 1; level < view.levels.length; level++) {
    const files = view.levels[level];
    if (files.length > 0) runs.push({ level, files, size: totalSize(files) });
  }
  return runs;
}

/** Groups `files` of `runs` into task inputs, one per level, shallowest level first. */
export function inputsByLevel(
  runs: readonly { level: number; files: readonly FileMeta[] }[],
): CompactionInput[] {
  const byLevel = new Map<number, FileMeta[]>();
  for (const run of runs) {
    const files = byLevel.get(run.level);
    if (files === undefined) byLevel.set(run.level, [...run.files]);
    else files.push(...run.files);
  }
  return [...byLevel.entries()].sort(([a], [b]) => a - b).map(([level, files]) => ({ level, files }));
}

/**
 * The task that merges the newest `count` runs (at least 2, at most all) into one run, written to the
 * deepest level that is still above every run it leaves alone (so newer data stays in shallower
 * levels), or undefined when one of the files is busy or no level fits. A level-0 output is one file
 * (it is one sorted run); deeper outputs are cut at `targetFileSize`.
 */
export function mergeNewestRuns(
  view: LevelsView,
  runs: readonly SortedRun[],
  count: number,
  reason: string,
  targetFileSize: number,
): CompactionTask | undefined {
  count = Math.max(2, Math.min(count, runs.length));
  const chosen = runs.slice(0, count);
  const files = chosen.flatMap((r) => r.files);
  if (anyBusy(view, files)) return undefined;
  const rest = runs[count];
  const deepestInput = Math.max(...chosen.map((r) => r.level));
  const limit = rest === undefined ? view.levels.length - 1 : rest.level - 1;
  const outputLevel = Math.max(deepestInput, limit);
  if (rest !== undefined && outputLevel >= rest.level && rest.level > 0) return undefined;
  const [start, end] = rangeOf(view, files);
  const olderOverlap = runs
    .slice(count)
    .some((r) =>
      r.files.some((f) => view.compare(f.smallestKey, end) <= 0 && view.compare(f.largestKey, start) >= 0),
    );
  return {
    inputs: inputsByLevel(chosen),
    outputLevel,
    targetFileSize: outputLevel === 0 ? Number.MAX_SAFE_INTEGER : targetFileSize,
    bottommost: !olderOverlap,
    reason,
  };
}

/**
 * The task of a manual compaction over sorted runs: everything merged into the last level (a lone run
 * above it is moved down by rewriting), or undefined when the tree is empty, already one run in the
 * last level, or busy.
 */
export function mergeAllRuns(
  view: LevelsView,
  runs: readonly SortedRun[],
  targetFileSize: number,
): CompactionTask | undefined {
  const last = view.levels.length - 1;
  if (runs.length === 0 || (runs.length === 1 && runs[0].level === last)) return undefined;
  if (runs.length > 1) return mergeNewestRuns(view, runs, runs.length, 'manual compaction', targetFileSize);
  const run = runs[0];
  if (anyBusy(view, run.files)) return undefined;
  return {
    inputs: [{ level: run.level, files: run.files }],
    outputLevel: last,
    targetFileSize,
    bottommost: true,
    reason: 'manual compaction',
  };
}
