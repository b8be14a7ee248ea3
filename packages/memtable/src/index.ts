/**
 * Sorted in-memory write buffer (skip list) over Velocity internal keys.
 * @packageDocumentation
 */
export {};
