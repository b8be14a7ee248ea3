/**
 * Pluggable compaction strategies for Velocity (leveled, tiered, lazy leveling), the merge, and a simulator.
 * @packageDocumentation
 */
export {};
