import type { CompactionStrategy, CompactionTask, FileMeta, LevelsView } from '@velocity/compaction';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Makes a fresh strategy (strategies may keep state between calls). */
export type StrategyFactory = () => CompactionStrategy;

const compare = (a: Uint8Array, b: Uint8Array) => a[0] - b[0];
const key = (k: number) => Uint8Array.of(k);

function overlaps(a: FileMeta, lo: Uint8Array, hi: Uint8Array): boolean {
  return compare(a.smallestKey, hi) <= 0 && compare(a.largestKey, lo) >= 0;
}

/**
 * Checks one task against the view it was picked from: it names only existing, non-busy files, once
 * each; its output level is at or below every input level; at an output level >= 1, every file there
 * that overlaps the inputs is an input (so the level stays one sorted run); level-0 files left behind
 * that overlap a task moving level-0 data down are newer than the ones moved. Throws on a violation.
 */
export function checkTask(view: LevelsView, task: CompactionTask): void {
  const byId = new Map<number, number>();
  view.levels.forEach((files, level) => {
    for (const f of files) byId.set(f.id, level);
  });
  const ids = new Set<number>();
  let lo: Uint8Array | undefined;
  let hi: Uint8Array | undefined;
  for (const input of task.inputs) {
    expect(task.outputLevel, 'output level must be at or below every input level').toBeGreaterThanOrEqual(
      input.level,
    );
    for (const f of input.files) {
      expect(byId.get(f.id), `file ${f.id} must exist at level ${input.level}`).toBe(input.level);
      expect(view.busy.has(f.id), `file ${f.id} is busy in another compaction`).toBe(false);
      expect(ids.has(f.id), `file ${f.id} named twice`).toBe(false);
      ids.add(f.id);
      if (lo === undefined || compare(f.smallestKey, lo) < 0) lo = f.smallestKey;
      if (hi === undefined || compare(f.largestKey, hi) > 0) hi = f.largestKey;
    }
  }
  expect(ids.size, 'a task needs inputs').toBeGreaterThan(0);
  if (lo === undefined || hi === undefined) return;
  if (task.outputLevel >= 1) {
    for (const f of view.levels[task.outputLevel]) {
      if (overlaps(f, lo, hi))
        expect(ids.has(f.id), `file ${f.id} of the output level overlaps the inputs but is not one`).toBe(
          true,
        );
    }
    const movedL0 = task.inputs.find((i) => i.level === 0)?.files ?? [];
    if (movedL0.length > 0) {
      const oldestMoved = Math.min(...movedL0.map((f) => f.id));
      for (const f of view.levels[0]) {
        if (!ids.has(f.id) && overlaps(f, lo, hi)) {
          expect(f.id, `older level-0 file ${f.id} would be left above newer data`).toBeGreaterThan(
            oldestMoved,
          );
        }
      }
    }
  }
}

/** Applies a task to a model of the levels: inputs are replaced by one output file covering their range. */
export function applyTask(levels: FileMeta[][], task: CompactionTask, nextId: () => number): void {
  const inputs = task.inputs.flatMap((i) => i.files);
  const ids = new Set(inputs.map((f) => f.id));
  for (let l = 0; l < levels.length; l++) levels[l] = levels[l].filter((f) => !ids.has(f.id));
  const output: FileMeta =
    task.trivialMove && inputs.length === 1
      ? inputs[0]
      : {
          id: nextId(),
          size: inputs.reduce((s, f) => s + f.size, 0),
          entries: inputs.reduce((s, f) => s + f.entries, 0),
          tombstones: 0,
          smallestKey: inputs.reduce(
            (m, f) => (compare(f.smallestKey, m) < 0 ? f.smallestKey : m),
            inputs[0].smallestKey,
          ),
          largestKey: inputs.reduce(
            (m, f) => (compare(f.largestKey, m) > 0 ? f.largestKey : m),
            inputs[0].largestKey,
          ),
          smallestSequence: Math.min(...inputs.map((f) => f.smallestSequence)),
          largestSequence: Math.max(...inputs.map((f) => f.largestSequence)),
        };
  levels[task.outputLevel].push(output);
  if (task.outputLevel === 0) levels[0].sort((a, b) => b.id - a.id);
  else levels[task.outputLevel].sort((a, b) => compare(a.smallestKey, b.smallestKey));
}

/** Random valid trees: overlapping level-0 files, one sorted run per deeper level. */
function viewArb(numLevels: number) {
  const fileArb = fc.tuple(fc.nat(200), fc.nat(30), fc.integer({ min: 1, max: 4 << 20 }));
  return fc
    .tuple(
      fc.array(fileArb, { maxLength: 10 }),
      fc.array(fc.array(fileArb, { maxLength: 6 }), { minLength: numLevels - 1, maxLength: numLevels - 1 }),
    )
    .map(([l0, deeper]) => {
      let id = 1000;
      const levels: FileMeta[][] = [];
      const make = (lo: number, len: number, size: number, seq: number): FileMeta => ({
        id: id--,
        size,
        entries: Math.max(1, size >> 7),
        tombstones: 0,
        smallestKey: key(lo),
        largestKey: key(Math.min(255, lo + len)),
        smallestSequence: seq,
        largestSequence: seq,
      });
      levels.push(l0.map(([lo, len, size], i) => make(lo, len, size, 10_000 - i)));
      for (const files of deeper) {
        // Non-overlapping: lay the files out left to right.
        let cursor = 0;
        const run: FileMeta[] = [];
        for (const [gap, len, size] of files) {
          const lo = cursor + (gap % 10);
          const hi = lo + (len % 8);
          if (hi > 255) break;
          run.push(make(lo, hi - lo, size, 100));
          cursor = hi + 1;
        }
        levels.push(run);
      }
      return levels;
    });
}

/**
 * The conformance suite for a compaction strategy: over random valid trees, tasks are checked with
 * {@link checkTask}; a second task picked while the first one's files are busy avoids them; repeated
 * application on a quiet tree converges to "no work"; manual range compaction also converges.
 *
 * @example
 * ```ts
 * import { TieredCompaction } from '@velocity/compaction';
 * import { compactionStrategySuite } from '@velocity/testkit';
 * compactionStrategySuite('TieredCompaction', () => new TieredCompaction());
 * ```
 */
export function compactionStrategySuite(
  name: string,
  factory: StrategyFactory,
  options: { numRuns?: number } = {},
): void {
  const numLevels = factory().numLevels;
  const numRuns = options.numRuns ?? 150;
  describe(`compaction strategy conformance: ${name}`, () => {
    it('picks valid tasks, avoids busy files, and converges on a quiet tree', () => {
      fc.assert(
        fc.property(viewArb(numLevels), (initial) => {
          const strategy = factory();
          const levels = initial.map((l) => [...l]);
          let id = 10_000;
          for (let step = 0; step < 200; step++) {
            const view: LevelsView = { levels, compare, busy: new Set() };
            const task = strategy.pickCompaction(view);
            if (task === undefined) return;
            checkTask(view, task);
            const busy = new Set(task.inputs.flatMap((i) => i.files.map((f) => f.id)));
            const busyView: LevelsView = { levels, compare, busy };
            const second = strategy.pickCompaction(busyView);
            if (second !== undefined) checkTask(busyView, second);
            applyTask(levels, task, () => id++);
          }
          throw new Error('no convergence: still picking work after 200 tasks on a quiet tree');
        }),
        { numRuns },
      );
    });

    it('manual range compaction converges and leaves one run at most per level', () => {
      fc.assert(
        fc.property(viewArb(numLevels), (initial) => {
          const strategy = factory();
          const levels = initial.map((l) => [...l]);
          let id = 10_000;
          for (let step = 0; step < 100; step++) {
            const view: LevelsView = { levels, compare, busy: new Set() };
            const task = strategy.pickRangeCompaction?.(view, undefined, undefined);
            if (task === undefined) {
              if (strategy.pickRangeCompaction)
                expect(levels[0].length, 'level 0 must be empty after a full manual compaction').toBe(0);
              return;
            }
            checkTask(view, task);
            applyTask(levels, task, () => id++);
          }
          throw new Error('manual compaction did not converge in 100 tasks');
        }),
        { numRuns: Math.ceil(numRuns / 2) },
      );
    });
  });
}
