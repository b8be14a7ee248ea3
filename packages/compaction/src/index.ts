/**
 * Pluggable compaction for Velocity: strategies are pure controllers (leveled, tiered, lazy leveling) that pick work
 * from a read-only view of the levels; `CompactionJob` is the merge that does it; `simulate` runs a
 * strategy on file metadata alone to compare write and space amplification.
 * @packageDocumentation
 */
export type {
  CompactionFilter,
  CompactionFilterDecision,
} from './compaction-filter.js';
export {
  CompactionJob,
  type CompactionJobOptions,
  type CompactionOutput,
  type TableSink,
} from './compaction-job.js';
export {
  LazyLevelingCompaction,
  type LazyLevelingCompactionOptions,
} from './lazy-leveling-compaction.js';
export { LeveledCompaction, type LeveledCompactionOptions } from './leveled-compaction.js';
export { type SimulationResult, type SimulationSample, type Workload, simulate } from './simulator.js';
export type { SortedRun } from './sorted-runs.js';
export { TieredCompaction, type TieredCompactionOptions } from './tiered-compaction.js';
export type { CompactionInput, CompactionStrategy, CompactionTask, FileMeta, LevelsView } from './types.js';
