/**
 * Velocity's write-ahead log: 32 KiB block framing, checksums, torn-tail tolerant recovery.
 * @packageDocumentation
 */
export {};
