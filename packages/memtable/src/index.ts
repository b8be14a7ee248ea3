/**
 * Sorted in-memory write buffer (skip list) over Velocity internal keys.
 * @packageDocumentation
 */
export type { EntryCopier, MemTable, MemTableLookup } from './memtable.js';
export { SkipListMemTable, type SkipListMemTableOptions } from './skip-list-memtable.js';
