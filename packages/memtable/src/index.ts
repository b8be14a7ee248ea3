/**
 * Sorted in-memory write buffer (skip list) over Velocity internal keys.
 * @packageDocumentation
 */
export type { EntryCopier, MemTable, MemTableLookup } from './memtable.js';
export { SkipListMemTable } from './skip-list-memtable.js';
