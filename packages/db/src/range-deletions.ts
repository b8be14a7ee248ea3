/**
 * Where the engine keeps range tombstones and how reads consult them.
 *
 * - A memtable's tombstones live beside it (a small list per memtable, keyed by the memtable object),
 *   filled by `applyBatch` and written to the memtable's level-0 table when it is flushed.
 * - A table's tombstones live in its range-deletion block; the manifest records how many a file has,
 *   so a version knows which files to read them from without opening the others.
 * - A read takes a {@link RangeView}: the fragmented tombstones of the memtables and of the version's
 *   files, immutable, so an iterator or snapshot keeps the view it started with. When no tombstone
 *   exists anywhere (the common case) reads never build one: `Engine.rangeDeletionsLive` is false.
 * @module
 */
import {
  type Comparator,
  type RangeTombstone,
  RangeTombstoneIndex,
  coveringSequenceOf,
} from '@velocity/core';
import type { MemTable } from '@velocity/memtable';
import type { TableCache } from './table-cache.js';
import type { Version } from './version.js';

const memLists = new WeakMap<MemTable, RangeTombstone[]>();
const NONE: readonly RangeTombstone[] = [];

/** Adds a range tombstone to `mem`'s list (the bytes are copied). */
export function addMemRangeTombstone(
  mem: MemTable,
  start: Uint8Array,
  end: Uint8Array,
  sequence: number,
): void {
  let list = memLists.get(mem);
  if (list === undefined) {
    list = [];
    memLists.set(mem, list);
  }
  list.push({ start: start.slice(), end: end.slice(), sequence });
}

/** The range tombstones added to `mem`, oldest first. */
export function memRangeTombstones(mem: MemTable): readonly RangeTombstone[] {
  return memLists.get(mem) ?? NONE;
}

/** True when `mem` holds neither entries nor range tombstones (nothing to flush). */
export function memIsEmpty(mem: MemTable): boolean {
  return mem.count === 0 && memRangeTombstones(mem).length === 0;
}

/** True when a file of `version` carries range tombstones. */
export function versionHasRangeTombstones(version: Version): boolean {
  for (const level of version.levels) for (const f of level) if (f.rangeTombstones > 0) return true;
  return false;
}

/** The tombstones a read consults, fixed when the read starts. */
export class RangeView {
  constructor(private readonly indexes: readonly RangeTombstoneIndex[]) {}

  /** The newest tombstone covering `key` visible at `sequence`, or -1 (see `RangeTombstoneIndex`). */
  coveringSequence(key: Uint8Array, sequence: number): number {
    return coveringSequenceOf(this.indexes, key, sequence);
  }
}

/** Builds and caches the views of one engine. */
export class RangeViews {
  private readonly versionIndexes = new WeakMap<Version, RangeTombstoneIndex>();
  private readonly memIndexes = new WeakMap<MemTable, { length: number; index: RangeTombstoneIndex }>();
  private last:
    | { mem: MemTable; memLength: number; imm: MemTable | undefined; version: Version; view: RangeView }
    | undefined;

  constructor(
    private readonly ucmp: Comparator,
    private readonly tables: TableCache,
  ) {}

  /** The view over `mem`, `imm` and `version` (cached until one of them changes). */
  view(mem: MemTable, imm: MemTable | undefined, version: Version): RangeView {
    const memLength = memRangeTombstones(mem).length;
    const last = this.last;
    if (
      last !== undefined &&
      last.mem === mem &&
      last.memLength === memLength &&
      last.imm === imm &&
      last.version === version
    )
      return last.view;
    const indexes: RangeTombstoneIndex[] = [];
    for (const m of imm === undefined ? [mem] : [mem, imm]) {
      const index = this.memIndex(m);
      if (index !== undefined) indexes.push(index);
    }
    const fromFiles = this.versionIndex(version);
    if (!fromFiles.empty) indexes.push(fromFiles);
    const view = new RangeView(indexes);
    this.last = { mem, memLength, imm, version, view };
    return view;
  }

  private memIndex(mem: MemTable): RangeTombstoneIndex | undefined {
    const list = memRangeTombstones(mem);
    if (list.length === 0) return undefined;
    const cached = this.memIndexes.get(mem);
    if (cached !== undefined && cached.length === list.length) return cached.index;
    const index = new RangeTombstoneIndex(this.ucmp, list);
    this.memIndexes.set(mem, { length: list.length, index });
    return index;
  }

  private versionIndex(version: Version): RangeTombstoneIndex {
    const cached = this.versionIndexes.get(version);
    if (cached !== undefined) return cached;
    const all: RangeTombstone[] = [];
    for (const level of version.levels) {
      for (const f of level) {
        if (f.rangeTombstones > 0) for (const t of this.tables.get(f).rangeTombstones()) all.push(t);
      }
    }
    const index = new RangeTombstoneIndex(this.ucmp, all);
    this.versionIndexes.set(version, index);
    return index;
  }
}
