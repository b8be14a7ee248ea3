/**
 * Byte-bounded caches with swappable eviction policies (LRU, S3-FIFO).
 * @packageDocumentation
 */
export {};
