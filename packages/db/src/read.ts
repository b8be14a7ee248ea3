/**
 * The read side: point lookups (active memtable, frozen memtable, then the tables of the current
 * version) and iterators over a consistent view of every source.
 * @module
 */
import {
  type Comparator,
  LookupKey,
  MergingIterator,
  type SeekableIterator,
  VelocityError,
  copyBytes,
  invalidArgument,
} from '@velocity/core';
import type { DbCursor as Cursor } from './db-cursor.js';
import { type Bound, DbCursor } from './db-cursor.js';
import type { Engine } from './engine.js';
import { countOption, optionalKey } from './input.js';
import { DBIterator, type IteratorOptions } from './iterator.js';
import { LevelIterator } from './level-iterator.js';
import { Snapshot } from './snapshot.js';
import { DELETED, type FoundVersion, type TableGetStats } from './table-get.js';

/** Counters of the read side (statistics). */
export interface ReadCounters extends TableGetStats {
  gets: number;
  memtableHits: number;
  iterators: number;
}

/** Point lookups and iterators over one engine. */
export class Reader {
  readonly counters: ReadCounters = { gets: 0, memtableHits: 0, probes: 0, iterators: 0 };
  /** Re-used by every get that reaches the tables. */
  private readonly lookup = new LookupKey();
  private readonly openIterators = new Set<DBIterator>();

  constructor(private readonly engine: Engine) {}

  /** The sequence a read with `snapshot` uses. Throws for a released or foreign snapshot. */
  sequenceFor(snapshot: unknown): number {
    if (snapshot === undefined) return this.engine.versions.lastSequence;
    if (!(snapshot instanceof Snapshot) || !snapshot.belongsTo(this.engine.snapshots)) {
      throw invalidArgument('snapshot must come from db.snapshot() of this database');
    }
    if (snapshot.isReleased) throw invalidArgument('snapshot was released');
    return snapshot.sequence;
  }

  /** The value of `key` at `sequence`, a copy, or undefined. */
  get(key: Uint8Array, sequence: number): Uint8Array | undefined {
    const engine = this.engine;
    // The one check range deletions cost while none exists.
    if (engine.rangeDeletionsLive) return this.getCovered(key, sequence);
    this.counters.gets++;
    let found = engine.mem.get(key, sequence);
    if (found === undefined && engine.imm !== undefined) found = engine.imm.get(key, sequence);
    if (found !== undefined) {
      this.counters.memtableHits++;
      if (found.kind !== 'put') return undefined;
      if (found.expiresAt !== undefined && found.expiresAt <= engine.options.clock()) return undefined;
      return copyBytes(found.value);
    }
    const lookup = this.lookup.set(key, sequence);
    const value = engine.versions.current.get(lookup, engine.tables, this.counters, engine.options.clock);
    return value === DELETED ? undefined : value;
  }

  /**
   * {@link Reader.get} while range tombstones exist: the newest version found is deleted when a
   * tombstone newer than it (and visible at `sequence`) covers the key.
   */
  private getCovered(key: Uint8Array, sequence: number): Uint8Array | undefined {
    const engine = this.engine;
    this.counters.gets++;
    const cover = engine.rangeView().coveringSequence(key, sequence);
    let found = engine.mem.get(key, sequence);
    if (found === undefined && engine.imm !== undefined) found = engine.imm.get(key, sequence);
    if (found !== undefined) {
      this.counters.memtableHits++;
      if (found.kind !== 'put' || found.sequence < cover) return undefined;
      if (found.expiresAt !== undefined && found.expiresAt <= engine.options.clock()) return undefined;
      return copyBytes(found.value);
    }
    if (cover >= 0) {
      // Only versions newer than the tombstone can be visible.
      const stats = this.found;
      stats.sequence = -1;
      const lookup = this.lookup.set(key, sequence);
      const value = engine.versions.current.get(
        lookup,
        engine.tables,
        this.counters,
        engine.options.clock,
        stats,
      );
      return value === DELETED || value === undefined || stats.sequence < cover ? undefined : value;
    }
    const lookup = this.lookup.set(key, sequence);
    const value = engine.versions.current.get(lookup, engine.tables, this.counters, engine.options.clock);
    return value === DELETED ? undefined : value;
  }

  /** Receives the sequence of the version a covered get found in the tables. */
  private readonly found: FoundVersion = { sequence: -1 };

  /** A new iterator over the state at its creation (or at `options.snapshot`). */
  iterator(options: IteratorOptions = {}): DBIterator {
    if (options === null || typeof options !== 'object')
      throw invalidArgument('iterator options must be an object');
    const sequence = this.sequenceFor(options.snapshot);
    const lower = bound(this.engine.ucmp, 'gt', options.gt, 'gte', options.gte, true);
    const upper = bound(this.engine.ucmp, 'lt', options.lt, 'lte', options.lte, false);
    const given = countOption('option limit', options.limit);
    const limit = given === undefined || given < 0 ? Number.POSITIVE_INFINITY : given;
    if (options.reverse !== undefined && typeof options.reverse !== 'boolean') {
      throw invalidArgument('option reverse must be a boolean');
    }
    const engine = this.engine;
    const version = engine.versions.current;
    version.ref();
    const children: SeekableIterator[] = [engine.mem.iterator()];
    if (engine.imm !== undefined) children.push(engine.imm.iterator());
    let cursor: Cursor;
    try {
      for (const f of version.levels[0]) children.push(new LevelIterator(engine.icmp, [f], engine.tables));
      for (let level = 1; level < version.levels.length; level++) {
        const files = version.levels[level];
        if (files.length > 0) children.push(new LevelIterator(engine.icmp, files, engine.tables));
      }
      const merged = new MergingIterator(engine.icmp, children);
      const ranges = engine.rangeDeletionsLive ? engine.rangeView() : undefined;
      cursor = new DbCursor(merged, engine.ucmp, sequence, lower, upper, engine.options.clock, ranges);
    } catch (error) {
      for (const c of children) c.close?.();
      version.unref();
      throw error;
    }
    this.counters.iterators++;
    const onClose = (closed: DBIterator): void => {
      this.openIterators.delete(closed);
      version.unref();
    };
    const it = new DBIterator(cursor, options.reverse === true, limit, onClose, engine.loop);
    this.openIterators.add(it);
    return it;
  }

  /** Number of iterators not yet closed. */
  get openIteratorCount(): number {
    return this.openIterators.size;
  }

  /** Closes every open iterator (on database close). */
  closeAll(): void {
    const error = new VelocityError('CLOSED', 'database is closed');
    for (const it of [...this.openIterators]) it.abort(error);
  }
}

/**
 * The bound from an exclusive and an inclusive option. When both are given both apply, so the tighter
 * one is kept (`lower`: the larger key; `upper`: the smaller; the exclusive one on a tie).
 */
function bound(
  ucmp: Comparator,
  exclusiveName: string,
  exclusive: unknown,
  inclusiveName: string,
  inclusive: unknown,
  lower: boolean,
): Bound | undefined {
  const ex = optionalKey(exclusiveName, exclusive);
  const inc = optionalKey(inclusiveName, inclusive);
  if (ex === undefined) return inc === undefined ? undefined : { key: inc, inclusive: true };
  if (inc === undefined) return { key: ex, inclusive: false };
  const c = ucmp.compare(inc, ex);
  const inclusiveTighter = lower ? c > 0 : c < 0;
  return inclusiveTighter ? { key: inc, inclusive: true } : { key: ex, inclusive: false };
}
