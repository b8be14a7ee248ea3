import {
  EXPIRY_PREFIX_SIZE,
  type InternalKeyComparator,
  MergingIterator,
  type RangeTombstone,
  RangeTombstoneIndex,
  type TombstoneFragment,
  compareBytes,
  rangeBoundKey,
  rangeEndKey,
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
  /** Adds a range tombstone of user keys `[start, end)` (only when the job has range tombstones). */
  addRangeTombstone?(start: Uint8Array, end: Uint8Array, sequence: number): void;
  /** Records the output's key range when its range tombstones widen it (before `finish`). */
  setKeyRange?(smallest: Uint8Array, largest: Uint8Array): void;
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
  /** Range tombstones written (fragments, one per covering sequence). */
  rangeTombstones: number;
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
  /**
   * The range tombstones of the input tables (user keys). Entries they cover that no view sees are
   * dropped; the fragments some view still needs are written to the outputs, each output getting the
   * pieces within its key range.
   */
  rangeTombstones?: readonly RangeTombstone[];
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
 * - Range tombstones: an entry is dropped when a tombstone newer than it covers it and no snapshot
 *   lies between the two (same stripe). The input tombstones are fragmented; of a fragment's
 *   sequences only the newest of each stripe is kept, and none of the oldest stripe in a bottommost
 *   output. Kept fragments go to the output whose key range holds them: at a cut after user key `a`
 *   they are split at `a + 0x00` (the next key in byte order), so the earlier output ends at `a`
 *   and the next one starts after it. Under another comparator an output is only cut where no
 *   kept fragment crosses the cut. An output's smallest and largest keys cover its fragments (see
 *   `rangeBoundKey` and `rangeEndKey` in `@velocity/core`: an end `a + 0x00` is recorded as the last
 *   internal key of `a`, any other end `e` as the first internal key of `e`).
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
  /** All input range tombstones (undefined when there are none). */
  private readonly ranges: RangeTombstoneIndex | undefined;
  /** Kept fragments not yet written (completely), in key order, from `nextFragment` on. */
  private readonly fragments: TombstoneFragment[] = [];
  private nextFragment = 0;
  /** Lower bound of the current output's fragments (undefined: from the first key). */
  private lower: Uint8Array | undefined;
  /** Last user key written to the current output. */
  private lastWritten: Uint8Array | undefined;

  constructor(private readonly options: CompactionJobOptions) {
    this.merged = new MergingIterator(options.comparator, options.inputs);
    const tombstones = options.rangeTombstones ?? [];
    if (tombstones.length > 0) {
      this.ranges = new RangeTombstoneIndex(options.comparator.user, tombstones);
      for (const f of this.ranges.fragments()) {
        const kept = this.keptSequences(f.sequences);
        if (kept.length > 0) this.fragments.push({ start: f.start, end: f.end, sequences: kept });
      }
    }
  }

  /** The sequences of a fragment some view needs: the newest of each stripe, none that may be dropped. */
  private keptSequences(sequences: readonly number[]): number[] {
    const kept: number[] = [];
    let last = Number.NaN;
    for (const s of sequences) {
      const stripe = this.stripeOf(s);
      if (stripe === last) continue;
      last = stripe;
      if (this.options.bottommost && this.isOldestStripe(s)) continue;
      kept.push(s);
    }
    return kept;
  }

  /** True when no snapshot predates `sequence`. */
  private isOldestStripe(sequence: number): boolean {
    return this.options.snapshots.length === 0 || sequence <= this.options.snapshots[0];
  }

  /** True when a range tombstone newer than the entry at `sequence` hides it from every view. */
  private covered(userKey: Uint8Array, sequence: number, stripe: number): boolean {
    const covers = (this.ranges as RangeTombstoneIndex).coversOf(userKey);
    // Newest first: the last one above `sequence` is the oldest newer tombstone, the lowest stripe.
    let oldestNewer = -1;
    for (let i = 0; i < covers.length && covers[i] > sequence; i++) oldestNewer = covers[i];
    return oldestNewer >= 0 && this.stripeOf(oldestNewer) === stripe;
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
          this.cutBefore(this.currentUserKey);
      }
      const stripe = this.stripeOf(sequence);
      const shadowed = stripe === this.lastStripe;
      this.lastStripe = stripe;
      if (shadowed || (this.ranges !== undefined && this.covered(userKey, sequence, stripe))) {
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
    if (this.sink === undefined && this.nextFragment < this.fragments.length) this.open();
    if (this.sink !== undefined) this.finishOutput(undefined);
    this.done = true;
    it.close();
    return true;
  }

  /** Opens the next output (its key range is set by what it receives). */
  private open(): TableSink {
    this.sink = this.options.openSink();
    this.current = {
      sink: this.sink,
      entries: 0,
      tombstones: 0,
      rangeTombstones: 0,
      smallestKey: EMPTY,
      largestKey: EMPTY,
      smallestSequence: Number.MAX_SAFE_INTEGER,
      largestSequence: 0,
    };
    return this.sink;
  }

  private write(key: Uint8Array, value: Uint8Array, sequence: number, kind: ValueKind): void {
    const sink = this.sink ?? this.open();
    const c = this.current as Omit<CompactionOutput, 'fileSize'>;
    sink.add(key, value);
    if (c.entries === 0) c.smallestKey = key.slice();
    c.entries++;
    if (kind === ValueKind.Delete) c.tombstones++;
    c.largestKey = key.slice();
    if (this.ranges !== undefined) this.lastWritten = this.currentUserKey;
    if (sequence < c.smallestSequence) c.smallestSequence = sequence;
    if (sequence > c.largestSequence) c.largestSequence = sequence;
  }

  /**
   * Ends the current output before user key `next` (see the class comment), unless a kept fragment
   * crosses the cut under a comparator without a known next key.
   */
  private cutBefore(next: Uint8Array): void {
    if (this.nextFragment >= this.fragments.length) {
      this.finishOutput(undefined);
      return;
    }
    if (this.lastWritten === undefined) return;
    const user = this.options.comparator.user;
    const last = this.lastWritten;
    let bound: Uint8Array;
    if (user.compare === compareBytes) {
      bound = new Uint8Array(last.length + 1);
      bound.set(last, 0);
    } else {
      for (let i = this.nextFragment; i < this.fragments.length; i++) {
        const f = this.fragments[i];
        if (user.compare(f.start, next) >= 0) break;
        if (user.compare(f.end, last) > 0) return; // crosses the cut: keep writing this output
      }
      bound = next;
    }
    this.finishOutput(bound);
  }

  /**
   * Writes the kept fragments below `bound` (all of them when undefined) to the current output,
   * clipped to its range, and finishes it; the next output's fragments start at `bound`.
   */
  private finishOutput(bound: Uint8Array | undefined): void {
    if (this.nextFragment < this.fragments.length) this.writeFragments(bound);
    this.lower = bound;
    this.lastWritten = undefined;
    const sink = this.sink as TableSink;
    const c = this.current as Omit<CompactionOutput, 'fileSize'>;
    if (c.rangeTombstones > 0) sink.setKeyRange?.(c.smallestKey, c.largestKey);
    const fileSize = sink.finish();
    this.finished.push({ ...(this.current as Omit<CompactionOutput, 'fileSize'>), fileSize });
    this.sink = undefined;
    this.current = undefined;
  }

  private writeFragments(bound: Uint8Array | undefined): void {
    const user = this.options.comparator.user;
    const sink = this.sink as TableSink;
    const c = this.current as Omit<CompactionOutput, 'fileSize'>;
    const lower = this.lower;
    while (this.nextFragment < this.fragments.length) {
      const f = this.fragments[this.nextFragment];
      if (bound !== undefined && user.compare(f.start, bound) >= 0) break;
      const start = lower !== undefined && user.compare(f.start, lower) < 0 ? lower : f.start;
      const clipped = bound !== undefined && user.compare(f.end, bound) > 0;
      const end = clipped ? (bound as Uint8Array) : f.end;
      if (user.compare(start, end) < 0) {
        for (const s of f.sequences) {
          sink.addRangeTombstone?.(start, end, s);
          c.rangeTombstones++;
          if (s < c.smallestSequence) c.smallestSequence = s;
          if (s > c.largestSequence) c.largestSequence = s;
        }
        const first = rangeBoundKey(start);
        if (c.smallestKey.length === 0 || this.options.comparator.compare(first, c.smallestKey) < 0)
          c.smallestKey = first;
        // Clipped at a cut (`a + 0x00`): the piece covers keys up to `a`, the last one written.
        const lastKey = rangeEndKey(user, end);
        if (c.largestKey.length === 0 || this.options.comparator.compare(lastKey, c.largestKey) > 0)
          c.largestKey = lastKey;
      }
      if (clipped) break;
      this.nextFragment++;
    }
  }
}
