/**
 * The table cache: open `TableReader`s by file number, at most `maxOpenFiles` of them. Readers in use
 * by iterators are pinned and closed only after their last user lets go. With a {@link MemoryBudget},
 * each reader's index and filter are charged to it when it opens, and {@link TableCache.startWarming}
 * makes a table whose data fits in what is left resident, in steps (see `TableReader.makeResident`); closing the reader
 * returns both. Reads never make a table resident themselves: loading and verifying a whole table
 * (milliseconds for a few MiB) is the warmer's job, in its own turns of the event loop, so a get that
 * opens a table costs the index, the filter and one block, never the table.
 * @module
 */
import { type FileSystem, type RandomAccessFile, compareBytes, corruption } from '@velocity/core';
import { TableReader, type TableReaderOptions } from '@velocity/sstable';
import type { TableFile } from './file-meta.js';
import { tableFileName } from './filenames.js';
import type { MemoryBudget } from './memory-budget.js';
import type { Version } from './version.js';

/** What the manifest records of a table that its file must match when opened. */
export type ExpectedTable = Pick<TableFile, 'id' | 'size' | 'smallest' | 'largest' | 'entries'>;

/**
 * Throws `CORRUPTION` unless the table's own properties agree with what the manifest recorded: its
 * size, entry count and smallest and largest internal keys. A table file swapped with another, or
 * copied over another's name, fails here instead of answering "not found" for the keys it lacks.
 * Costs nothing beyond opening: the properties block is read at open anyway.
 */
export function checkTableMatches(reader: TableReader, expected: ExpectedTable, path: string): void {
  const p = reader.properties;
  const mismatch =
    p.fileSize !== expected.size
      ? `size ${p.fileSize}, the manifest says ${expected.size}`
      : p.entries !== expected.entries
        ? `${p.entries} entries, the manifest says ${expected.entries}`
        : compareBytes(p.smallestKey, expected.smallest) !== 0 ||
            compareBytes(p.largestKey, expected.largest) !== 0
          ? 'a key range other than the one the manifest records'
          : undefined;
  if (mismatch !== undefined) {
    throw corruption(`table ${expected.id} is not the file the manifest names: it has ${mismatch}`, path);
  }
}

/** A table being made resident in steps ({@link TableCache.startWarming}). */
export interface Warming {
  /**
   * Does work until `expired()` turns true; true once the table is resident. Throws `CLOSED` when the
   * table was closed meanwhile, and the table's error if it cannot be read (the reservation is then
   * returned).
   */
  step(expired: () => boolean): boolean;
  /** Gives up and returns the reservation (no-op once the steps finished). */
  cancel(): void;
}

interface Entry {
  reader: TableReader;
  /** Iterators using the reader. */
  pins: number;
  /** Evicted while pinned: close on the last unpin. */
  evicted: boolean;
  /** Bytes charged to the budget for index and filter. */
  pinnedBytes: number;
  /** Bytes of resident data charged to the budget (0: not resident). */
  residentBytes: number;
}

/** Open table readers, bounded, least recently used closed first. */
export class TableCache {
  private readonly entries = new Map<number, Entry>();
  /** Readers opened so far (statistics). */
  opened = 0;

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly readerOptions: TableReaderOptions,
    private readonly cachePrefix: string,
    private readonly maxOpen: number,
    private readonly budget?: MemoryBudget,
  ) {}

  /** The reader of table `file`, opening (and checking) it if needed. */
  get(file: ExpectedTable): TableReader {
    const number = file.id;
    const entry = this.entries.get(number);
    if (entry !== undefined) {
      // Refresh recency only when eviction could matter: a Map re-insert per read is not free.
      if (this.entries.size >= this.maxOpen >> 1) {
        this.entries.delete(number);
        this.entries.set(number, entry);
      }
      return entry.reader;
    }
    return this.open(file).reader;
  }

  private open(expected: ExpectedTable): Entry {
    const number = expected.id;
    const path = tableFileName(this.dir, number);
    let file: RandomAccessFile | undefined;
    let reader: TableReader | undefined;
    try {
      file = this.fs.openReadable(path);
      reader = TableReader.open(file, { ...this.readerOptions, cacheId: `${this.cachePrefix}${number}` });
      checkTableMatches(reader, expected, path);
    } catch (error) {
      if (reader !== undefined) reader.close();
      else file?.close();
      throw error;
    }
    this.opened++;
    const entry: Entry = { reader, pins: 0, evicted: false, pinnedBytes: 0, residentBytes: 0 };
    const budget = this.budget;
    if (budget !== undefined) {
      entry.pinnedBytes = reader.pinnedBytes;
      budget.pin(entry.pinnedBytes);
      this.shedResident(budget);
    }
    this.entries.set(number, entry);
    this.trim();
    return entry;
  }

  /**
   * Starts making table `file` resident in steps (opening it if needed), with its resident bytes
   * reserved in the memory budget until the steps finish or are cancelled; undefined when it is resident
   * already, there is no budget, or it does not fit. Throws what opening the table throws. For
   * `TableWarmer`, which runs the steps in its own turns of the event loop.
   */
  startWarming(file: ExpectedTable): Warming | undefined {
    const entry = this.entries.get(file.id) ?? this.open(file);
    const budget = this.budget;
    if (budget === undefined || entry.residentBytes > 0) return undefined;
    const bytes = entry.reader.residentBytes;
    if (!budget.tryReserve(bytes)) return undefined;
    let step: (expired: () => boolean) => boolean;
    try {
      step = entry.reader.makeResidentInSteps();
    } catch (error) {
      budget.release(bytes);
      throw error;
    }
    let settled = false;
    const cancel = () => {
      if (settled) return;
      settled = true;
      budget.release(bytes);
    };
    return {
      step: (expired) => {
        if (settled) return true;
        let done: boolean;
        try {
          done = step(expired);
        } catch (error) {
          cancel();
          throw error;
        }
        if (!done) return false;
        settled = true;
        // Charged to the entry from now on (its close returns it), unless it was charged meanwhile.
        if (entry.residentBytes === 0) entry.residentBytes = bytes;
        else budget.release(bytes);
        return true;
      },
      cancel,
    };
  }

  /** Like {@link TableCache.get}, and keeps the reader open until {@link TableCache.unpin}. */
  pin(file: ExpectedTable): TableReader {
    const entry = this.entries.get(file.id) ?? this.open(file);
    entry.pins++;
    return entry.reader;
  }

  /** Releases a pin taken with {@link TableCache.pin}. */
  unpin(number: number, reader: TableReader): void {
    const entry = this.entries.get(number);
    if (entry !== undefined && entry.reader === reader) {
      entry.pins--;
      return;
    }
    // Evicted while pinned: the entry is gone from the map; `reader` is ours to close at zero pins.
    const orphan = this.orphans.get(reader);
    if (orphan === undefined) return;
    if (--orphan.pins <= 0) {
      this.orphans.delete(reader);
      this.closeReader(orphan);
    }
  }

  private readonly orphans = new Map<TableReader, Entry>();

  private trim(): void {
    if (this.entries.size <= this.maxOpen) return;
    for (const [number, entry] of this.entries) {
      if (this.entries.size <= this.maxOpen) break;
      this.drop(number, entry);
    }
  }

  private drop(number: number, entry: Entry): void {
    this.entries.delete(number);
    if (entry.pins > 0) {
      entry.evicted = true;
      this.orphans.set(entry.reader, entry);
    } else {
      this.closeReader(entry);
    }
  }

  /**
   * The first table of `version` (level by level) that is not resident and not in `skip`, and would
   * fit in the memory budget as resident data; undefined when there is none, when the next one would
   * not fit, when a table not open yet would not fit in the table cache, or without a budget. For
   * `TableWarmer`.
   */
  nextToWarm(version: Version, skip: ReadonlySet<number>): TableFile | undefined {
    const budget = this.budget;
    if (budget === undefined) return undefined;
    for (const files of version.levels) {
      for (const f of files) {
        if (skip.has(f.id)) continue;
        const entry = this.entries.get(f.id);
        if (entry !== undefined && entry.residentBytes > 0) continue;
        if (entry === undefined && this.entries.size >= this.maxOpen) return undefined;
        // Open: its own figure; not open: the file's size stands for its data, and the flat entries'
        // positions and the hash index add about a tenth (143 bytes per entry resident against ~134
        // on disk for 16-byte keys and 100-byte values; see `TableReader.residentBytes`).
        return budget.fits(entry?.reader.residentBytes ?? Math.ceil(f.size * 1.15)) ? f : undefined;
      }
    }
    return undefined;
  }

  /** Drops resident tables, least recently used first, while the budget is exceeded. */
  private shedResident(budget: MemoryBudget): void {
    if (budget.excess === 0) return;
    for (const entry of [...this.entries.values(), ...this.orphans.values()]) {
      if (entry.residentBytes === 0) continue;
      entry.reader.dropResident();
      budget.release(entry.residentBytes);
      entry.residentBytes = 0;
      if (budget.excess === 0) return;
    }
  }

  /** Closes an entry's reader and returns its charges to the budget. */
  private closeReader(entry: Entry): void {
    const budget = this.budget;
    if (budget !== undefined) {
      budget.unpin(entry.pinnedBytes);
      if (entry.residentBytes > 0) budget.release(entry.residentBytes);
      entry.pinnedBytes = 0;
      entry.residentBytes = 0;
    }
    entry.reader.close();
  }

  /** Closes table `number` (when its file becomes obsolete). */
  evict(number: number): void {
    const entry = this.entries.get(number);
    if (entry !== undefined) this.drop(number, entry);
  }

  /** Number of readers open now. */
  get size(): number {
    return this.entries.size + this.orphans.size;
  }

  /** Closes every reader. */
  close(): void {
    for (const entry of this.entries.values()) this.closeReader(entry);
    for (const entry of this.orphans.values()) this.closeReader(entry);
    this.entries.clear();
    this.orphans.clear();
  }
}
