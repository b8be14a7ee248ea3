/**
 * Compaction filters: a user function that sees each value a compaction writes and may keep it, drop
 * it or replace it.
 * @module
 */

/**
 * What a {@link CompactionFilter} decides for one entry: `'keep'` it, `'drop'` it (the key then reads
 * as deleted, exactly as if it had been deleted), or `{ value }` to store a new value instead.
 */
export type CompactionFilterDecision =
  | 'keep'
  | 'drop'
  | {
      /** The value to store instead (a put with expiry keeps its expiry time). */
      readonly value: Uint8Array;
    };

/**
 * Called by compactions for the newest value of each key, when no live snapshot can see it (entries a
 * snapshot still sees are written unchanged, so snapshots never change under a filter). `key` and
 * `value` are views valid during the call (the value without any expiry prefix); `level` is the level
 * the output goes to. Deletions are not shown to it. It must be deterministic enough that running it
 * again later on the same entry gives an acceptable answer, and fast: it runs inside the merge. A
 * filter that throws, or returns anything else than a {@link CompactionFilterDecision}, fails the
 * compaction.
 */
export type CompactionFilter = (
  key: Uint8Array,
  value: Uint8Array,
  level: number,
) => CompactionFilterDecision;

/** Checks a filter's answer; throws `TypeError` for anything that is not a {@link CompactionFilterDecision}. */
export function checkDecision(decision: unknown): CompactionFilterDecision {
  if (decision === 'keep' || decision === 'drop') return decision;
  if (
    decision !== null &&
    typeof decision === 'object' &&
    (decision as { value?: unknown }).value instanceof Uint8Array
  ) {
    return decision as { value: Uint8Array };
  }
  throw new TypeError(`compaction filter returned ${String(decision)}, not 'keep', 'drop' or { value }`);
}
