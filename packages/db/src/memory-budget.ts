/**
 * The database's one memory budget for table contents, and the accounting against it.
 * @module
 */
import { isNode } from './runtime.js';

/** What `memoryBudget: 'auto'` means on Node: 1 GiB. */
export const AUTO_MEMORY_BUDGET_NODE = 1024 * 1024 * 1024;
/** What `memoryBudget: 'auto'` means outside Node (a browser tab has less to spare): 64 MiB. */
export const AUTO_MEMORY_BUDGET_OTHER = 64 * 1024 * 1024;

/** The bytes `'auto'` stands for in this runtime. */
export function autoMemoryBudget(): number {
  return isNode() ? AUTO_MEMORY_BUDGET_NODE : AUTO_MEMORY_BUDGET_OTHER;
}

/** A snapshot of {@link MemoryBudget}'s accounting, in bytes. */
export interface MemoryUse {
  /** The budget. */
  budget: number;
  /** Capacity of the block cache (0 without one), reserved whole. */
  blockCache: number;
  /** Decoded indexes and filters of the open tables (always held; may exceed the budget). */
  pinned: number;
  /** Data of the tables held resident. */
  resident: number;
  /** Tables held resident. */
  residentTables: number;
}

/**
 * Accounts the memory a database holds for table contents against one budget: the block cache's
 * capacity, the pinned index and filter of every open table, and the tables held resident. A table
 * becomes resident when it is opened and its data fits in what the other two leave; its bytes come
 * back when it is closed. Index and filter are charged whether or not they fit (no table can be read
 * without them); when they push the total over, the table cache drops resident tables until it fits
 * again, so a database with more open tables than the budget covers holds none resident.
 */
export class MemoryBudget {
  private pinned = 0;
  private resident = 0;
  private residentTables = 0;

  constructor(
    /** The budget in bytes. */
    readonly budget: number,
    /** The block cache's capacity, charged whole. */
    private readonly blockCache: number,
  ) {}

  /** Charges a table's pinned index and filter. */
  pin(bytes: number): void {
    this.pinned += bytes;
  }

  /** Returns what {@link MemoryBudget.pin} charged. */
  unpin(bytes: number): void {
    this.pinned -= bytes;
  }

  /** Bytes charged beyond the budget now (0 when within it). */
  get excess(): number {
    return Math.max(0, this.blockCache + this.pinned + this.resident - this.budget);
  }

  /** Whether `bytes` more of resident data would fit now. */
  fits(bytes: number): boolean {
    return this.blockCache + this.pinned + this.resident + bytes <= this.budget;
  }

  /** Charges `bytes` of resident table data if they fit; returns whether they did. */
  tryReserve(bytes: number): boolean {
    if (!this.fits(bytes)) return false;
    this.resident += bytes;
    this.residentTables++;
    return true;
  }

  /** Returns what a successful {@link MemoryBudget.tryReserve} charged. */
  release(bytes: number): void {
    this.resident -= bytes;
    this.residentTables--;
  }

  /** The accounting now. */
  use(): MemoryUse {
    return {
      budget: this.budget,
      blockCache: this.blockCache,
      pinned: this.pinned,
      resident: this.resident,
      residentTables: this.residentTables,
    };
  }
}
