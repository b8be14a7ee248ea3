/**
 * Velocity's immutable sorted table files: blocks, index, filters, compression, checksums.
 * @packageDocumentation
 */
export {};
