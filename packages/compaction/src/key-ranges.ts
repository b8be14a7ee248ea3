import type { FileMeta, LevelsView } from './types.js';

/** The user-key range covered by `files` (REQUIRES: non-empty). */
export function rangeOf(view: LevelsView, files: readonly FileMeta[]): [Uint8Array, Uint8Array] {
  let smallest = files[0].smallestKey;
  let largest = files[0].largestKey;
  for (const f of files) {
    if (view.compare(f.smallestKey, smallest) < 0) smallest = f.smallestKey;
    if (view.compare(f.largestKey, largest) > 0) largest = f.largestKey;
  }
  return [smallest, largest];
}

/** Files of `level` whose range intersects [start, end] (undefined bounds are open). */
export function overlapping(
  view: LevelsView,
  level: number,
  start: Uint8Array | undefined,
  end: Uint8Array | undefined,
): FileMeta[] {
  return view.levels[level].filter(
    (f) =>
      (end === undefined || view.compare(f.smallestKey, end) <= 0) &&
      (start === undefined || view.compare(f.largestKey, start) >= 0),
  );
}

/** True when no level deeper than `level` holds a file intersecting [start, end]. */
export function nothingDeeper(view: LevelsView, level: number, start: Uint8Array, end: Uint8Array): boolean {
  for (let l = level + 1; l < view.levels.length; l++) {
    if (overlapping(view, l, start, end).length > 0) return false;
  }
  return true;
}

/** Sum of file sizes. */
export function totalSize(files: readonly FileMeta[]): number {
  let total = 0;
  for (const f of files) total += f.size;
  return total;
}

/** True when any of `files` is an input of a running compaction. */
export function anyBusy(view: LevelsView, files: readonly FileMeta[]): boolean {
  for (const f of files) if (view.busy.has(f.id)) return true;
  return false;
}
