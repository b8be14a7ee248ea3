/**
 * Velocity: an embedded LSM-tree key-value database in pure TypeScript.
 *
 * ```ts
 * import { DB } from '@velocity/db';
 * const db = await DB.open('./data');
 * await db.put('k', 'v');
 * ```
 * @packageDocumentation
 */
export { DB, type CompactRangeOptions, type PutOptions, type ReadOptions } from './db.js';
export type { ExpiryOptions } from './expiry-options.js';
export type { DBOptions } from './options.js';
export type { CompactionThreadMode, CompactionThreadPriority } from './compaction/worker-protocol.js';
export {
  DEFAULT_BLOCK_CACHE_SIZE,
  DEFAULT_MEMTABLE_SIZE,
  DEFAULT_MEMTABLE_SIZE_OTHER,
  defaultCompaction,
} from './options.js';
export { type Key, type Value, MAX_BATCH_SIZE, MAX_KEY_SIZE, MAX_VALUE_SIZE } from './input.js';
export {
  type DelOperation,
  type DeleteRangeOperation,
  type PutOperation,
  WriteBatch,
  type WriteOperation,
  type WriteOptions,
} from './write-batch.js';
export { DBIterator, type Entry, type IteratorOptions } from './iterator.js';
export { Snapshot } from './snapshot.js';
export type { DBStats, LevelStats, TableStats } from './stats.js';
export type { MemoryUse } from './memory-budget.js';
export { AUTO_MEMORY_BUDGET_NODE, AUTO_MEMORY_BUDGET_OTHER } from './memory-budget.js';
export type {
  BackgroundErrorEvent,
  CompactionEvent,
  CompactionFileInfo,
  DBEventListener,
  DBEventName,
  DBEvents,
  FlushEvent,
  WriteStallEvent,
} from './events.js';
export { BASE_FORMAT_VERSION, FORMAT_VERSION } from './format-marker.js';
export { type Damage, type ToolOptions, type VerifyReport, verify } from './verify.js';
export { type RepairOptions, type RepairReport, repair } from './repair.js';
export type { CheckpointInfo } from './checkpoint.js';
export {
  type BackupFile,
  type BackupInfo,
  type BackupResult,
  backup,
  listBackups,
  purgeOldBackups,
  restore,
} from './backup.js';
// For tools (the `velocity` command's dump, verify and repair): file names and manifest records.
export { type ParsedFileName, parseFileName } from './filenames.js';
export { readCurrent } from './manifest.js';
export { type DeletedFileEntry, type NewFileEntry, VersionEdit } from './version-edit.js';
