/**
 * db_bench-style benchmarks for Velocity and its peers (LevelDB via classic-level, LMDB, SQLite via
 * better-sqlite3, memory-level), each engine in its own process, with ratios measured in the same run.
 * @packageDocumentation
 */
export {
  ENGINES,
  type Engine,
  type EngineHandle,
  type Pair,
  type ScanOptions,
  type Seeker,
} from './engines/index.js';
export {
  type CompactionDebt,
  compactionDebt,
  type LevelShape,
  parseLeveldbSstables,
} from './debt.js';
export { KEY_KINDS, type KeyKind, type KeyShape, keyShape } from './keys.js';
export { PRESETS, type Preset } from './presets.js';
export { keyOf, scramble, seededRandom, valuePool, zipfian } from './random.js';
export { formatMarkdown, formatMicros, formatRate, formatReport } from './report.js';
export {
  type BenchOptions,
  type BenchProgress,
  type BenchReport,
  medianRun,
  planJob,
  runBench,
} from './run-bench.js';
export { LatencyRecorder, percentile } from './stats.js';
export type { Mode, RunContext, WorkloadResult } from './timing.js';
export type { WorkerResult, WriteAmpSource } from './worker.js';
export { ALL_WORKLOADS, WORKLOADS, type Workload } from './workloads.js';
