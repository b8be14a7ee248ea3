/**
 * Shared foundations of Velocity: bytes, encodings, CRC32C, errors, comparators, the iterator contract,
 * internal keys and the `FileSystem` interface with its in-memory and fault-injecting implementations.
 * Everything here is browser-safe; the Node file system lives in `@velocity/core/node`.
 * @packageDocumentation
 */
export * from './bytes.js';
export * from './copy-bytes.js';
export * from './hash.js';
export * from './coding.js';
export * from './comparator.js';
export * from './crc32c.js';
export * from './errors.js';
export * from './expiry.js';
export * from './internal-key.js';
export * from './lookup-key.js';
export * from './iterator.js';
export * from './merging-iterator.js';
export * from './random.js';
export * from './range-tombstones.js';
export * from './fs/file-system.js';
export * from './fs/memory-file-system.js';
export * from './fs/fault-injection-file-system.js';
