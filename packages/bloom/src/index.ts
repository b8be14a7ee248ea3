/**
 * Bloom filter policy for Velocity SSTables, usable on its own.
 * @packageDocumentation
 */
export {};
