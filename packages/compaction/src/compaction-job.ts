import {
  EXPIRY_PREFIX_SIZE,
  type InternalKeyComparator,
  MergingIterator,
  type SeekableIterator,
  TRAILER_SIZE,
  ValueKind,
  decodeExpiry,
  extractKind,
  extractSequence,
  makeInternalKey,
  withExpiry,
} from '@velocity/core';
import { type CompactionFilter, checkDecision } from './compaction-filter.js';

/** Where the merge writes: one output table at a time. */
export interface TableSink {
  /** Adds an entry (internal keys arrive in order). */
  add(internalKey: Uint8Array, value: Uint8Array): void;
  /** Bytes the output will take so far. */
  readonly estimatedSize: number;
  /** Finishes the file and returns its size. */
  finish(): number;
}

/** One finished output of a compaction. */
export interface CompactionOutput {
  /** The sink the output was written to. */
  sink: TableSink;
  /** File size, as returned by the sink's `finish()`. */
  fileSize: number;
  /** Entries written (versions and tombstones). */
  entries: number;
  /** Tombstones written. */
  tombstones: number;
  /** Smallest internal key (a copy). */
  smallestKey: Uint8Array;
  /** Largest internal key (a copy). */
  largestKey: Uint8Array;
  /** Smallest sequence number written. */
  smallestSequence: number;
  /** Largest sequence number written. */
  largestSequence: number;
}

/** Options of {@link CompactionJob}. */
export interface CompactionJobOptions {
  /** Orders the internal keys of the inputs and outputs. */
  comparator: InternalKeyComparator;
  /** Iterators over internal keys; the job seeks them to their first entry. */
  inputs: SeekableIterator[];
  /** Ascending sequence numbers of live snapshots. */
  snapshots: readonly number[];
  /** No deeper data overlaps the inputs: tombstones no snapshot needs may be dropped. */
  bottommost: boolean;
  /** Start a new output at the next user key once the current one reaches this many bytes. */
  targetFileSize: number;
  /** Opens the next output. */
  openSink: () => TableSink;
  /**
   * The time (milliseconds since the epoch) expiry is judged at: a `PutWithExpiry` value that expired
   * by then is written as a tombstone (or dropped where a tombstone may be). Absent: no value expires.
   */
  now?: number;
  /** Called for the newest value of each key that no snapshot sees (see {@link CompactionFilter}). */
  filter?: CompactionFilter;
  /** The level the outputs go to, as the filter is told (default 0). */
  outputLevel?: number;
}

const EMPTY = new Uint8Array(0);

/**
 * The merge of a compaction. It reads the inputs in internal-key order and writes what readers can
 * still see:
 *
 * - Versions of one user key arrive newest first. Each version is visible to the views (snapshots, and
 *   "latest") whose sequence is at or above it and below the next newer version. A version is kept
 *   only if at least one view sees it: that is, if the smallest view at or above its sequence differs
 *   from that of the next newer version ("stripe" in the code). The newest version is always kept.
 * - A tombstone is dropped when the output is bottommost (nothing older lies deeper) and it is in the
 *   oldest stripe (no snapshot predates it), together with every older version under it.
 * - Outputs are cut at `targetFileSize`, only between user keys, so no user key spans two files.
 * - A value that expired by `now` becomes a tombstone (it reads as deleted already); so does a value
 *   the `filter` drops. The filter sees only the newest version of a key, and only when no snapshot
 *   sees it, so what snapshots read never changes.
 *
 * Work is done in slices with {@link step}, so the engine can return to the event loop between them.
 */
export class CompactionJob {
  private readonly merged: MergingIterator;
  private started = false;
  private done = false;
  private sink: TableSink | undefined;
  private current: Omit<CompactionOutput, 'fileSize'> | undefined;
  private currentUserKey: Uint8Array | undefined;
  private lastStripe = Number.NaN;
  private readonly finished: CompactionOutput[] = [];
  private read = 0;
  private dropped = 0;

  constructor(private readonly options: CompactionJobOptions) {
    this.merged = new MergingIterator(options.comparator, options.inputs);
  }

  /** Finished outputs. */
  get outputs(): readonly CompactionOutput[] {
    return this.finished;
  }
  /** Key and value bytes consumed. */
  get bytesRead(): number {
    return this.read;
  }
  /** Sum of output file sizes. */
  get bytesWritten(): number {
    let total = 0;
    for (const o of this.finished) total += o.fileSize;
    return total;
  }
  /** Entries not written (shadowed versions and dropped tombstones). */
  get entriesDropped(): number {
    return this.dropped;
  }

  /** The smallest view (snapshot sequence, or Infinity for "latest") that sees `sequence`. */
  private stripeOf(sequence: number): number {
    const snapshots = this.options.snapshots;
    let lo = 0;
    let hi = snapshots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (snapshots[mid] < sequence) lo = mid + 1;
      else hi = mid;
    }
    return lo < snapshots.length ? snapshots[lo] : Number.POSITIVE_INFINITY;
  }

  /** Processes up to `maxEntries` input entries. Returns true once everything is merged and written. */
  step(maxEntries: number): boolean {
    if (this.done) return true;
    const it = this.merged;
    if (!this.started) {
      it.seekToFirst();
      this.started = true;
    }
    const user = this.options.comparator.user;
    for (let n = 0; n < maxEntries && it.valid(); n++, it.next()) {
      const key = it.key();
      const value = it.value();
      this.read += key.length + value.length;
      const userKey = key.subarray(0, key.length - TRAILER_SIZE);
      const sequence = extractSequence(key);
      const kind = extractKind(key);
      const newUserKey =
        this.currentUserKey === undefined || user.compare(userKey, this.currentUserKey) !== 0;
      if (newUserKey) {
        this.currentUserKey = userKey.slice();
        this.lastStripe = Number.NaN;
        if (this.sink !== undefined && this.sink.estimatedSize >= this.options.targetFileSize)
          this.finishOutput();
      }
      const stripe = this.stripeOf(sequence);
      const shadowed = stripe === this.lastStripe;
      this.lastStripe = stripe;
      if (shadowed) {
        this.dropped++;
        continue;
      }
      let outKind = kind;
      let outValue = value;
      if (kind !== ValueKind.Delete) {
        const expiresAt = kind === ValueKind.PutWithExpiry ? decodeExpiry(value) : undefined;
        const now = this.options.now;
        if (expiresAt !== undefined && now !== undefined && expiresAt <= now) outKind = ValueKind.Delete;
        else if (this.options.filter !== undefined && stripe === Number.POSITIVE_INFINITY) {
          const plain = expiresAt === undefined ? value : value.subarray(EXPIRY_PREFIX_SIZE);
          const decision = checkDecision(this.options.filter(userKey, plain, this.options.outputLevel ?? 0));
          if (decision === 'drop') outKind = ValueKind.Delete;
          else if (decision !== 'keep')
            outValue = expiresAt === undefined ? decision.value : withExpiry(decision.value, expiresAt);
        }
      }
      if (
        outKind === ValueKind.Delete &&
        this.options.bottommost &&
        (this.options.snapshots.length === 0 || sequence <= this.options.snapshots[0])
      ) {
        this.dropped++;
        continue;
      }
      if (outKind !== kind) {
        this.write(makeInternalKey(userKey, sequence, outKind), EMPTY, sequence, outKind);
        continue;
      }
      this.write(key, outValue, sequence, kind);
    }
    if (it.valid()) return false;
    if (this.sink !== undefined) this.finishOutput();
    this.done = true;
    it.close();
    return true;
  }

  private write(key: Uint8Array, value: Uint8Array, sequence: number, kind: ValueKind): void {
    if (this.sink === undefined) {
      this.sink = this.options.openSink();
      this.current = {
        sink: this.sink,
        entries: 0,
        tombstones: 0,
        smallestKey: key.slice(),
        largestKey: key,
        smallestSequence: sequence,
        largestSequence: sequence,
      };
    }
    const c = this.current as Omit<CompactionOutput, 'fileSize'>;
    this.sink.add(key, value);
    c.entries++;
    if (kind === ValueKind.Delete) c.tombstones++;
    c.largestKey = key.slice();
    if (sequence < c.smallestSequence) c.smallestSequence = sequence;
    if (sequence > c.largestSequence) c.largestSequence = sequence;
  }

  private finishOutput(): void {
    const sink = this.sink as TableSink;
    const fileSize = sink.finish();
    this.finished.push({ ...(this.current as Omit<CompactionOutput, 'fileSize'>), fileSize });
    this.sink = undefined;
    this.current = undefined;
  }
}
