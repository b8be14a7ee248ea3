/**
 * db_bench-style benchmarks for Velocity and its peers (LevelDB via classic-level, LMDB, SQLite via
 * better-sqlite3, memory-level), each engine in its own process, with ratios measured in the same run.
 * @packageDocumentation
 */
export { ENGINES, type Engine, type EngineHandle } from './engines/index.js';
export { PRESETS, type Preset } from './presets.js';
export { keyOf, scramble, seededRandom, zipfian } from './random.js';
export { formatReport } from './report.js';
export { type BenchOptions, type BenchProgress, type BenchReport, runBench } from './run-bench.js';
export { LatencyRecorder, percentile } from './stats.js';
export { ALL_WORKLOADS, type Mode, type WorkloadResult } from './workloads.js';
