/**
 * Bloom filter policy for Velocity SSTables, usable on its own.
 * @packageDocumentation
 */
export type { FilterBuilder, FilterPolicy } from './filter-policy.js';
export {
  BLOOM_FILTER_NAME,
  BloomFilterPolicy,
  MAX_PROBES,
  probesForBitsPerKey,
} from './bloom-filter-policy.js';
export { murmurHash3 } from './murmur-hash.js';
