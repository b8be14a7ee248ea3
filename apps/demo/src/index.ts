/**
 * A short tour of Velocity: opens a database, writes, reads, reopens.
 * @packageDocumentation
 */
export {};
