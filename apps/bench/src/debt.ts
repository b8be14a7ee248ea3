/**
 * Compaction debt: how much work an LSM tree still owes after its writes returned, from the shape of
 * its levels. LevelDB's leveled rules are used here (level 0 compacts at 4 files, level 1 holds 10 MiB,
 * each deeper level 10× more, the last level never compacts), unless an engine gives its own byte
 * targets per level (Velocity's level 1 holds four memtables: 64 MiB with 16 MiB memtables).
 * @module
 */

/** Files and bytes of one level, level 0 first. */
export interface LevelShape {
  files: number;
  bytes: number;
  /** The engine's byte target for the level, when it says (else LevelDB's rule). */
  targetBytes?: number;
}

/** Level-0 files that make level 0 due for compaction (LevelDB's and Velocity's default). */
export const LEVEL0_TRIGGER = 4;
/** Byte target of level 1; deeper levels multiply it by {@link LEVEL_MULTIPLIER} per level. */
export const LEVEL1_BYTES = 10 * 2 ** 20;
/** Growth of the byte target from one level to the next. */
export const LEVEL_MULTIPLIER = 10;

/** What {@link compactionDebt} reports. */
export interface CompactionDebt {
  /** Bytes due for compaction: level 0 when it holds ≥ 4 files, plus every level's bytes over its target. */
  bytes: number;
  /** Files in level 0. */
  level0Files: number;
}

/**
 * The bytes the engine's own scoring says must still be compacted: all of level 0 once it holds
 * {@link LEVEL0_TRIGGER} files or more, and for each level from 1 to the next-to-last the bytes above
 * its target. A settled tree owes 0. Debt counts what is due, not what compacting it will write
 * (each byte pushed down is rewritten with the overlapping part of the level below).
 */
export function compactionDebt(levels: readonly LevelShape[]): CompactionDebt {
  const level0 = levels[0] ?? { files: 0, bytes: 0 };
  let bytes = level0.files >= LEVEL0_TRIGGER ? level0.bytes : 0;
  for (let level = 1; level < levels.length - 1; level++) {
    const target = levels[level].targetBytes ?? LEVEL1_BYTES * LEVEL_MULTIPLIER ** (level - 1);
    bytes += Math.max(0, levels[level].bytes - target);
  }
  return { bytes, level0Files: level0.files };
}

/**
 * Parses LevelDB's `leveldb.sstables` property (`--- level N ---` headers, then one
 * ` number:size[smallest .. largest]` line per file) into level shapes, `numLevels` of them.
 */
export function parseLeveldbSstables(text: string, numLevels = 7): LevelShape[] {
  const levels: LevelShape[] = Array.from({ length: numLevels }, () => ({ files: 0, bytes: 0 }));
  let current: LevelShape | undefined;
  for (const line of text.split('\n')) {
    const header = /^--- level (\d+) ---$/.exec(line);
    if (header) {
      const n = Number(header[1]);
      while (levels.length <= n) levels.push({ files: 0, bytes: 0 });
      current = levels[n];
      continue;
    }
    const file = /^ (\d+):(\d+)\[/.exec(line);
    if (file && current) {
      current.files++;
      current.bytes += Number(file[2]);
    }
  }
  return levels;
}
