import { anyBusy, nothingDeeper, overlapping, rangeOf, totalSize } from './key-ranges.js';
import type { CompactionInput, CompactionStrategy, CompactionTask, FileMeta, LevelsView } from './types.js';

/** Options of {@link LeveledCompaction}. */
export interface LeveledCompactionOptions {
  /** Levels, including level 0 (default 7). */
  numLevels?: number;
  /** Level-0 files that trigger a compaction into level 1 (default 4). */
  level0FileTrigger?: number;
  /** Level-0 files at which writes slow down (default 8). */
  level0SlowdownTrigger?: number;
  /** Level-0 files at which writes wait for compaction (default 12). */
  level0StopTrigger?: number;
  /** Byte target of level 1 (default 10 MiB). */
  maxBytesForLevelBase?: number;
  /** Each deeper level's target is this many times the previous one (default 10). */
  levelMultiplier?: number;
  /** Size of output files (default 2 MiB). */
  targetFileSize?: number;
  /** A file is not moved down unchanged if it overlaps more than this × targetFileSize in the grandparent level (default 10). */
  maxGrandparentOverlapFactor?: number;
}

/**
 * Leveled compaction, as in LevelDB and RocksDB: level 0 collects flushed tables (which may overlap);
 * each deeper level is one sorted run with a byte target `maxBytesForLevelBase × levelMultiplier^(n-1)`.
 * The level with the highest score (L0: files / trigger; Ln: bytes / target) above 1 is compacted:
 *
 * - L0 → L1 takes every L0 file and every L1 file overlapping them (so older L0 data never ends up
 *   below newer data).
 * - Ln → Ln+1 takes the next file after the level's compaction pointer (which rotates, so work
 *   spreads across the key space) and every overlapping file of Ln+1.
 * - A lone input that overlaps nothing in the output level, and not too much of the grandparent, is
 *   moved without rewriting (a trivial move).
 *
 * Write amplification is roughly `levelMultiplier` per level; space amplification stays near 1.1.
 */
export class LeveledCompaction implements CompactionStrategy {
  readonly name = 'leveled';
  readonly numLevels: number;
  private readonly level0FileTrigger: number;
  private readonly level0SlowdownTrigger: number;
  private readonly level0StopTrigger: number;
  private readonly maxBytesForLevelBase: number;
  private readonly levelMultiplier: number;
  /** Size at which output files are cut (see {@link LeveledCompactionOptions.targetFileSize}). */
  readonly targetFileSize: number;
  private readonly maxGrandparentOverlap: number;
  /** Per level: the largest key of the last file compacted from it. */
  private readonly pointers: (Uint8Array | undefined)[];

  constructor(options: LeveledCompactionOptions = {}) {
    this.numLevels = options.numLevels ?? 7;
    if (this.numLevels < 2) throw new RangeError('LeveledCompaction needs at least 2 levels');
    this.level0FileTrigger = options.level0FileTrigger ?? 4;
    this.level0SlowdownTrigger = options.level0SlowdownTrigger ?? 8;
    this.level0StopTrigger = options.level0StopTrigger ?? 12;
    this.maxBytesForLevelBase = options.maxBytesForLevelBase ?? 10 * 1024 * 1024;
    this.levelMultiplier = options.levelMultiplier ?? 10;
    this.targetFileSize = options.targetFileSize ?? 2 * 1024 * 1024;
    this.maxGrandparentOverlap = (options.maxGrandparentOverlapFactor ?? 10) * this.targetFileSize;
    this.pointers = new Array(this.numLevels).fill(undefined);
  }

  /** Byte target of `level` (>= 1). */
  maxBytesForLevel(level: number): number {
    return this.maxBytesForLevelBase * this.levelMultiplier ** (level - 1);
  }

  /** How urgently each level needs compaction (>= 1 means it does). The last level never does. */
  scores(view: LevelsView): number[] {
    const scores = [view.levels[0].length / this.level0FileTrigger];
    for (let level = 1; level < this.numLevels - 1; level++) {
      scores.push(totalSize(view.levels[level]) / this.maxBytesForLevel(level));
    }
    return scores;
  }

  pickCompaction(view: LevelsView): CompactionTask | undefined {
    const scores = this.scores(view);
    const order = scores.map((score, level) => ({ score, level })).sort((a, b) => b.score - a.score);
    for (const { score, level } of order) {
      if (score < 1) break;
      const task =
        level === 0
          ? this.level0Task(view, `L0 files ${view.levels[0].length} >= ${this.level0FileTrigger}`)
          : this.levelTask(view, level, score);
      if (task !== undefined) return task;
    }
    return undefined;
  }

  private level0Task(view: LevelsView, reason: string, files = view.levels[0]): CompactionTask | undefined {
    if (files.length === 0 || anyBusy(view, files)) return undefined;
    const [start, end] = rangeOf(view, files);
    const next = overlapping(view, 1, start, end);
    if (anyBusy(view, next)) return undefined;
    return this.task(view, 0, files, next, reason);
  }

  private levelTask(view: LevelsView, level: number, score: number): CompactionTask | undefined {
    const files = view.levels[level];
    if (files.length === 0) return undefined;
    const pointer = this.pointers[level];
    const ordered =
      pointer === undefined
        ? files
        : [
            ...files.filter((f) => view.compare(f.smallestKey, pointer) > 0),
            ...files.filter((f) => view.compare(f.smallestKey, pointer) <= 0),
          ];
    for (const file of ordered) {
      if (view.busy.has(file.id)) continue;
      const next = overlapping(view, level + 1, file.smallestKey, file.largestKey);
      if (anyBusy(view, next)) continue;
      this.pointers[level] = file.largestKey;
      return this.task(view, level, [file], next, `L${level} score ${score.toFixed(2)}`);
    }
    return undefined;
  }

  private task(
    view: LevelsView,
    level: number,
    inputs: readonly FileMeta[],
    next: readonly FileMeta[],
    reason: string,
  ): CompactionTask {
    const outputLevel = level + 1;
    const [start, end] = rangeOf(view, [...inputs, ...next]);
    const grandparent =
      outputLevel + 1 < this.numLevels ? totalSize(overlapping(view, outputLevel + 1, start, end)) : 0;
    const taskInputs: CompactionInput[] = [{ level, files: inputs }];
    if (next.length > 0) taskInputs.push({ level: outputLevel, files: next });
    return {
      inputs: taskInputs,
      outputLevel,
      targetFileSize: this.targetFileSize,
      bottommost: nothingDeeper(view, outputLevel, start, end),
      trivialMove: inputs.length === 1 && next.length === 0 && grandparent <= this.maxGrandparentOverlap,
      reason,
    };
  }

  pickRangeCompaction(
    view: LevelsView,
    start: Uint8Array | undefined,
    end: Uint8Array | undefined,
  ): CompactionTask | undefined {
    let target = 1;
    for (let l = this.numLevels - 1; l >= 1; l--) {
      if (view.levels[l].length > 0) {
        target = l;
        break;
      }
    }
    for (let level = 0; level < target; level++) {
      const files = overlapping(view, level, start, end);
      if (files.length === 0) continue;
      if (level === 0) return this.level0Task(view, 'manual compaction', view.levels[0]);
      if (anyBusy(view, files)) return undefined;
      const [s, e] = rangeOf(view, files);
      const next = overlapping(view, level + 1, s, e);
      if (anyBusy(view, next)) return undefined;
      return { ...this.task(view, level, files, next, 'manual compaction'), trivialMove: false };
    }
    return undefined;
  }

  writePressure(view: LevelsView): 'ok' | 'slowdown' | 'stop' {
    const n = view.levels[0].length;
    if (n >= this.level0StopTrigger) return 'stop';
    if (n >= this.level0SlowdownTrigger) return 'slowdown';
    return 'ok';
  }
}
