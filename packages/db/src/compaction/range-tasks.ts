/**
 * The tasks behind `db.compactRange`: the strategy's range task (or, when the strategy has none, every
 * file overlapping the range, widened until no file outside it overlaps the files inside, moved into
 * the deepest non-empty level, at least level 1), and a final rewrite of the deepest level's files in
 * the range when they still hold tombstones (which only a bottommost rewrite can drop).
 * @module
 */
import type { CompactionInput, CompactionStrategy, CompactionTask, LevelsView } from '@velocity/compaction';
import type { FileMeta } from '@velocity/compaction';

function overlaps(
  view: LevelsView,
  f: FileMeta,
  lo: Uint8Array | undefined,
  hi: Uint8Array | undefined,
): boolean {
  if (lo !== undefined && view.compare(f.largestKey, lo) < 0) return false;
  if (hi !== undefined && view.compare(f.smallestKey, hi) > 0) return false;
  return true;
}

/** The range task of `strategy`, or the generic one described above. */
export function pickRangeTask(
  strategy: CompactionStrategy,
  view: LevelsView,
  start: Uint8Array | undefined,
  end: Uint8Array | undefined,
  targetFileSize: number,
): CompactionTask | undefined {
  if (strategy.pickRangeCompaction !== undefined) return strategy.pickRangeCompaction(view, start, end);
  let lo = start;
  let hi = end;
  let chosen: FileMeta[][] = [];
  for (;;) {
    chosen = view.levels.map((files) => files.filter((f) => overlaps(view, f, lo, hi)));
    let newLo = lo;
    let newHi = hi;
    for (const files of chosen) {
      for (const f of files) {
        if (newLo !== undefined && view.compare(f.smallestKey, newLo) < 0) newLo = f.smallestKey;
        if (newHi !== undefined && view.compare(f.largestKey, newHi) > 0) newHi = f.largestKey;
      }
    }
    if (newLo === lo && newHi === hi) break;
    lo = newLo;
    hi = newHi;
  }
  let deepest = -1;
  view.levels.forEach((files, i) => {
    if (files.length > 0) deepest = i;
  });
  if (deepest < 0) return undefined;
  const outputLevel = Math.min(Math.max(deepest, 1), view.levels.length - 1);
  const inputs: CompactionInput[] = [];
  chosen.forEach((files, level) => {
    if (files.length > 0) inputs.push({ level, files });
  });
  if (inputs.length === 0) return undefined;
  return { inputs, outputLevel, targetFileSize, bottommost: true, reason: 'range' };
}

/**
 * A rewrite of the files of the deepest non-empty level that overlap `[start, end]`, when any of them
 * holds tombstones (point or range); undefined otherwise.
 */
export function pickBottomRewrite(
  view: LevelsView,
  start: Uint8Array | undefined,
  end: Uint8Array | undefined,
  targetFileSize: number,
): CompactionTask | undefined {
  let deepest = -1;
  view.levels.forEach((files, i) => {
    if (files.length > 0) deepest = i;
  });
  if (deepest < 1) return undefined;
  const files = view.levels[deepest].filter((f) => overlaps(view, f, start, end));
  if (files.length === 0 || !files.some((f) => f.tombstones > 0 || (f.rangeTombstones ?? 0) > 0))
    return undefined;
  if (files.some((f) => view.busy.has(f.id))) return undefined;
  return {
    inputs: [{ level: deepest, files }],
    outputLevel: deepest,
    targetFileSize,
    bottommost: true,
    reason: `rewrite of level ${deepest} to drop tombstones`,
  };
}
