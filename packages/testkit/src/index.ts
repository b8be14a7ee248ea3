/**
 * Conformance suites for Velocity's pluggable interfaces: file systems, cache policies, compaction strategies, filter policies.
 * @packageDocumentation
 */
export {};
