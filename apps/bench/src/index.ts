/**
 * db_bench-style benchmarks for Velocity and its peers, side by side.
 * @packageDocumentation
 */
export {};
