/**
 * Snapshots: a sequence number that reads can use, kept in a list so compactions preserve every
 * version some snapshot can see.
 * @module
 */

/**
 * A consistent point-in-time view for reads (`get`, `getMany`, `iterator`). Release it when done: a
 * held snapshot keeps compactions from dropping the old versions it can see.
 */
export class Snapshot {
  private released = false;

  /** @internal Use `db.snapshot()`. */
  constructor(
    /** Reads through this snapshot see writes with sequence numbers up to this one. */
    readonly sequence: number,
    private readonly list: SnapshotList,
  ) {}

  /** True once {@link Snapshot.release} was called (or the database closed). */
  get isReleased(): boolean {
    return this.released;
  }

  /** Lets compactions drop what only this snapshot could see. Safe to call twice. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.list.remove(this);
  }

  /** @internal True when the snapshot was made by the database that owns `list`. */
  belongsTo(list: SnapshotList): boolean {
    return this.list === list;
  }

  /** @internal */
  markReleased(): void {
    this.released = true;
  }
}

/** The live snapshots of a database, oldest first. */
export class SnapshotList {
  private readonly items: Snapshot[] = [];

  /** Creates and registers a snapshot at `sequence` (never below an earlier one's). */
  create(sequence: number): Snapshot {
    const s = new Snapshot(sequence, this);
    this.items.push(s);
    return s;
  }

  /** @internal */
  remove(s: Snapshot): void {
    const i = this.items.lastIndexOf(s);
    if (i >= 0) this.items.splice(i, 1);
  }

  /** Number of live snapshots. */
  get size(): number {
    return this.items.length;
  }

  /** Ascending, distinct sequence numbers of live snapshots (what compaction must preserve). */
  sequences(): number[] {
    const out: number[] = [];
    for (const s of this.items)
      if (out.length === 0 || out[out.length - 1] !== s.sequence) out.push(s.sequence);
    return out;
  }

  /** Marks every snapshot released (on close). */
  releaseAll(): void {
    for (const s of this.items) s.markReleased();
    this.items.length = 0;
  }
}
