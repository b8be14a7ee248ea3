/**
 * A version: the set of table files, by level, at one point in time. Versions are immutable and
 * reference counted; a file is deleted only when no live version lists it.
 * @module
 */
import type { LevelsView } from '@velocity/compaction';
import { type Comparator, type LookupKey, VelocityError, corruption } from '@velocity/core';
import type { TableFile } from './file-meta.js';
import type { TableCache } from './table-cache.js';
import { type FoundVersion, type TableGetStats, getFromLevels } from './table-get.js';
import type { VersionEdit } from './version-edit.js';

/**
 * Files per level. Level 0 is ordered newest first (largest sequence, then largest number); every
 * other level is ordered by key, and its files' user-key ranges do not overlap.
 */
export class Version {
  /** References held (the version set's current pointer, iterators, running compactions). */
  refs = 0;

  constructor(
    readonly levels: readonly (readonly TableFile[])[],
    private readonly ucmp: Comparator,
    private readonly onUnused: (version: Version) => void,
  ) {}

  /**
   * The newest version of `lookup`'s user key visible at its sequence in this version's tables
   * (LevelDB's `Version::Get`): a copy of the value, `DELETED` from `table-get.ts` for a deletion,
   * or undefined when no table holds the key. Counts table probes in `stats`. Values with an expiry
   * read as deleted once `clock()` reaches it. With `found`, the sequence of the version found is
   * stored there.
   */
  get(
    lookup: LookupKey,
    tables: TableCache,
    stats: TableGetStats,
    clock: () => number = Date.now,
    found?: FoundVersion,
  ): Uint8Array | undefined {
    return getFromLevels(this.levels, this.ucmp, lookup, tables, stats, clock, found);
  }

  /** Takes a reference. */
  ref(): void {
    this.refs++;
  }

  /** Drops a reference; at zero the version set forgets the version and may delete its files. */
  unref(): void {
    if (this.refs <= 0) throw new VelocityError('INVALID_ARGUMENT', 'version reference count underflow');
    if (--this.refs === 0) this.onUnused(this);
  }

  /** Number of files in all levels. */
  fileCount(): number {
    let n = 0;
    for (const level of this.levels) n += level.length;
    return n;
  }

  /** A read-only view for compaction strategies. */
  view(userComparator: Comparator, busy: ReadonlySet<number>): LevelsView {
    return { levels: this.levels, compare: (a, b) => userComparator.compare(a, b), busy };
  }
}

/** Sorts level 0 newest first. */
export function compareLevel0(a: TableFile, b: TableFile): number {
  return b.largestSequence - a.largestSequence || b.id - a.id;
}

/** Applies edits to a base version's files, producing the files of the next version. */
export class VersionBuilder {
  private readonly levels: Map<number, TableFile>[];

  constructor(
    private readonly ucmp: Comparator,
    numLevels: number,
    base?: Version,
  ) {
    this.levels = [];
    for (let i = 0; i < numLevels; i++) {
      const map = new Map<number, TableFile>();
      for (const f of base?.levels[i] ?? []) map.set(f.id, f);
      this.levels.push(map);
    }
  }

  /** Applies one edit: deletions first, then additions. Throws `CORRUPTION` for a bad level. */
  apply(edit: VersionEdit): void {
    for (const d of edit.deletedFiles) {
      this.level(d.level).delete(d.number);
    }
    for (const { level, file } of edit.newFiles) {
      this.level(level).set(file.id, file);
    }
  }

  private level(level: number): Map<number, TableFile> {
    const map = this.levels[level];
    if (map === undefined)
      throw corruption(`level ${level} is beyond the ${this.levels.length} levels in use`);
    return map;
  }

  /** Number of the highest non-empty level (-1 when all are empty). */
  deepestLevel(): number {
    for (let i = this.levels.length - 1; i >= 0; i--) if (this.levels[i].size > 0) return i;
    return -1;
  }

  /**
   * The files by level, sorted. Throws `CORRUPTION` when files of a level >= 1 overlap (a broken
   * manifest or a compaction that broke the level invariant).
   */
  build(): TableFile[][] {
    const out: TableFile[][] = [];
    for (let i = 0; i < this.levels.length; i++) {
      const files = [...this.levels[i].values()];
      if (i === 0) {
        files.sort(compareLevel0);
      } else {
        files.sort((a, b) => this.ucmp.compare(a.smallestKey, b.smallestKey) || a.id - b.id);
        for (let j = 1; j < files.length; j++) {
          if (this.ucmp.compare(files[j - 1].largestKey, files[j].smallestKey) >= 0) {
            throw corruption(`files ${files[j - 1].id} and ${files[j].id} overlap in level ${i}`);
          }
        }
      }
      out.push(files);
    }
    return out;
  }
}
