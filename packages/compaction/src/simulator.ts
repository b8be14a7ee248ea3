import { seededRandom } from '@velocity/core';
import type { CompactionStrategy, FileMeta, LevelsView } from './types.js';

/** A synthetic write stream. */
export interface Workload {
  /** Key order of the writes. */
  pattern: 'uniform' | 'sequential' | 'zipfian';
  /** Number of writes. */
  writes: number;
  /** Distinct keys that can be written (sequential writes never repeat). */
  keySpace: number;
  /** Bytes per entry (key + value). */
  entrySize: number;
  /** Seed of the key generator. */
  seed?: number;
}

/** One point of the time series. */
export interface SimulationSample {
  /** User writes so far. */
  writes: number;
  /** Write amplification so far (bytes written to files / bytes written by the user). */
  writeAmplification: number;
  /** Space amplification now (bytes in files / bytes of distinct live keys). */
  spaceAmplification: number;
  /** Sorted runs now (each level-0 file, plus each non-empty deeper level). */
  sortedRuns: number;
}

/** What a simulation measured, JSON-able for charts. */
export interface SimulationResult {
  /** The strategy's name. */
  strategy: string;
  /** The workload that was run. */
  workload: Workload;
  /** Write amplification at the end. */
  writeAmplification: number;
  /** Space amplification at the end. */
  spaceAmplification: number;
  /** Most sorted runs seen at once (what a read may have to look through). */
  maxSortedRuns: number;
  /** Compaction tasks applied. */
  compactions: number;
  /** The time series, sampled along the run and at the end. */
  samples: SimulationSample[];
}

interface SimFile extends FileMeta {
  keys: Uint32Array;
}

function keyBytes(k: number): Uint8Array {
  return Uint8Array.of(k >>> 24, (k >>> 16) & 0xff, (k >>> 8) & 0xff, k & 0xff);
}

function keyStream(w: Workload): () => number {
  const random = seededRandom(w.seed ?? 7);
  if (w.pattern === 'sequential') {
    let next = 0;
    return () => next++;
  }
  if (w.pattern === 'uniform') return () => Math.floor(random() * w.keySpace);
  // Zipfian with skew 0.99 by rejection-free approximation: rank = floor(n^u) style (hot keys scattered).
  return () => {
    const rank = Math.floor(w.keySpace ** random()) - 1;
    return Math.imul(rank + 1, 2654435761) >>> 0;
  };
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * Runs `strategy` over `workload` on file metadata alone: memtable flushes produce level-0 files, and
 * every task the strategy returns is applied at once by merging the key sets of its inputs (newest
 * version wins, nothing is deleted) and cutting the result into files of the task's target size.
 * Write amplification = bytes written to files / bytes written by the user; space amplification =
 * bytes in files / bytes of distinct live keys.
 */
export function simulate(
  strategy: CompactionStrategy,
  workload: Workload,
  options: { memtableBytes?: number; samples?: number } = {},
): SimulationResult {
  const memtableBytes = options.memtableBytes ?? 1 << 20;
  const perFlush = Math.max(1, Math.floor(memtableBytes / workload.entrySize));
  const levels: SimFile[][] = Array.from({ length: strategy.numLevels }, () => []);
  const live = new Set<number>();
  const next = keyStream(workload);
  let id = 1;
  let written = 0;
  let compactions = 0;
  let maxRuns = 0;
  const samples: SimulationSample[] = [];
  const sampleEvery = Math.max(perFlush, Math.floor(workload.writes / (options.samples ?? 50)));
  const view: LevelsView = { levels, compare, busy: new Set() };

  const makeFile = (keys: Uint32Array, sequence: number): SimFile => ({
    id: id++,
    size: keys.length * workload.entrySize,
    entries: keys.length,
    tombstones: 0,
    smallestKey: keyBytes(keys[0]),
    largestKey: keyBytes(keys[keys.length - 1]),
    smallestSequence: sequence,
    largestSequence: sequence,
    keys,
  });
  const runs = () => levels[0].length + levels.slice(1).filter((l) => l.length > 0).length;
  const fileBytes = () => levels.flat().reduce((s, f) => s + f.size, 0);

  let pending = new Set<number>();
  for (let i = 1; i <= workload.writes; i++) {
    const key = next();
    pending.add(key);
    live.add(key);
    if (i % perFlush === 0 || i === workload.writes) {
      const keys = Uint32Array.from(pending).sort();
      pending = new Set();
      const file = makeFile(keys, i);
      levels[0].unshift(file);
      written += file.size;
      for (let guard = 0; guard < 1000; guard++) {
        const task = strategy.pickCompaction(view);
        if (task === undefined) break;
        compactions++;
        const inputIds = new Set(task.inputs.flatMap((input) => input.files.map((f) => f.id)));
        for (const input of task.inputs)
          levels[input.level] = levels[input.level].filter((f) => !inputIds.has(f.id));
        if (task.trivialMove && task.inputs.length === 1 && task.inputs[0].files.length === 1) {
          levels[task.outputLevel].push(task.inputs[0].files[0] as SimFile);
        } else {
          const merged = new Set<number>();
          for (const input of task.inputs)
            for (const f of input.files) for (const k of (f as SimFile).keys) merged.add(k);
          const all = Uint32Array.from(merged).sort();
          const perFile = Math.max(
            1,
            Math.floor(Math.min(task.targetFileSize, 2 ** 40) / workload.entrySize),
          );
          for (let start = 0; start < all.length; start += perFile) {
            const out = makeFile(all.subarray(start, start + perFile), i);
            written += out.size;
            if (task.outputLevel === 0) levels[0].unshift(out);
            else levels[task.outputLevel].push(out);
          }
        }
        levels[task.outputLevel].sort((a, b) =>
          task.outputLevel === 0 ? b.id - a.id : compare(a.smallestKey, b.smallestKey),
        );
      }
      maxRuns = Math.max(maxRuns, runs());
    }
    if (i % sampleEvery === 0 || i === workload.writes) {
      samples.push({
        writes: i,
        writeAmplification: written / (i * workload.entrySize),
        spaceAmplification: fileBytes() / (live.size * workload.entrySize),
        sortedRuns: runs(),
      });
    }
  }
  const last = samples[samples.length - 1];
  return {
    strategy: strategy.name,
    workload,
    writeAmplification: last.writeAmplification,
    spaceAmplification: last.spaceAmplification,
    maxSortedRuns: maxRuns,
    compactions,
    samples,
  };
}
