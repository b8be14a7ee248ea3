/**
 * What runtime the engine runs in, for the few places that differ (the default file system, the
 * compaction worker). Browser-safe: it only reads `globalThis`.
 * @module
 */

/** True when running on Node.js (or a runtime that presents itself as Node). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}
