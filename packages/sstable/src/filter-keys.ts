/**
 * The filter of a table being built, for any {@link FilterPolicy}: the policy's own builder where it
 * has one, else the keys packed into one growing buffer until `finish`.
 * @module
 */
import type { FilterBuilder, FilterPolicy } from '@velocity/bloom';

/**
 * Collects keys for a policy without a builder. The keys' bytes go into one buffer (not one array per
 * key: a table of 100k keys kept 100k small arrays alive through its build, which cost more garbage
 * collection than the filter itself); `finish` hands the policy views of it.
 */
class PackedKeys implements FilterBuilder {
  private bytes = new Uint8Array(4096);
  private used = 0;
  /** Key `i` is `bytes[ends[i - 1], ends[i])` (from 0 for the first). */
  private ends = new Uint32Array(256);
  count = 0;

  constructor(private readonly policy: FilterPolicy) {}

  add(key: Uint8Array): void {
    if (this.used + key.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + key.length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    if (this.count === this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.bytes.set(key, this.used);
    this.used += key.length;
    this.ends[this.count++] = this.used;
  }

  finish(): Uint8Array {
    const keys: Uint8Array[] = new Array(this.count);
    const { buffer, byteOffset } = this.bytes;
    let start = 0;
    for (let i = 0; i < this.count; i++) {
      const end = this.ends[i];
      keys[i] = new Uint8Array(buffer, byteOffset + start, end - start); // faster than subarray in V8
      start = end;
    }
    const filter = this.policy.createFilter(keys);
    this.count = 0;
    this.used = 0;
    return filter;
  }
}

/** A builder of `policy`'s filter: its own (`newBuilder`) when it has one. */
export function filterBuilder(policy: FilterPolicy): FilterBuilder {
  return policy.newBuilder?.() ?? new PackedKeys(policy);
}
