/**
 * Filters over user keys for tables that hold internal keys.
 * @module
 */
import type { FilterBuilder, FilterPolicy } from '@velocity/bloom';
import { TRAILER_SIZE } from '@velocity/core';

/** Prefix of the recorded name of a wrapped policy. */
export const INTERNAL_FILTER_PREFIX = 'velocity.InternalFilter:';

/**
 * Wraps a user-key filter policy for tables of internal keys. The table builder and reader map each
 * internal key through {@link stripTrailer} before the policy sees it, so filters hold user keys and a
 * lookup at any sequence number consults the same bits. The wrapper's recorded name differs from the
 * bare policy's, so a table written with a bare policy is never read through the wrapper.
 */
export function internalFilterPolicy(policy: FilterPolicy): FilterPolicy {
  const wrapped: FilterPolicy = {
    name: `${INTERNAL_FILTER_PREFIX}${policy.name}`,
    createFilter: (keys) => policy.createFilter(keys),
    keyMayMatch: (key, filter) => policy.keyMayMatch(key, filter),
  };
  // The policy's incremental builder (the built-in Bloom policy's hashes each key as it is added),
  // so that table builds keep no copy of every key until the filter is made.
  if (policy.newBuilder !== undefined)
    wrapped.newBuilder = () => (policy.newBuilder as () => FilterBuilder)();
  return wrapped;
}

/** The user key of an internal key, as a view (what goes into filters). */
export function stripTrailer(internalKey: Uint8Array): Uint8Array {
  return internalKey.subarray(0, internalKey.length - TRAILER_SIZE);
}
