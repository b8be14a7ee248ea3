/**
 * Conformance suites for Velocity's pluggable interfaces, for the built-in implementations and yours:
 * file systems, cache policies and compaction strategies. They run under vitest.
 * @packageDocumentation
 */
export * from './cache-policy-suite.js';
export * from './compaction-strategy-suite.js';
export * from './file-system-suite.js';
