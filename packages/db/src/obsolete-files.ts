/**
 * Deleting files nothing needs any more: logs older than the manifest's log number, tables no live
 * version lists (and no running flush or compaction is writing), manifests older than the live one,
 * and leftover temporary files. Names the engine does not recognise are never touched.
 * @module
 */
import { type FileSystem, joinPath } from '@velocity/core';
import { parseFileName } from './filenames.js';
import type { TableCache } from './table-cache.js';
import type { VersionSet } from './version-set.js';

/** What the sweep needs to know. */
export interface SweepState {
  fs: FileSystem;
  dir: string;
  versions: VersionSet;
  tables: TableCache;
  /** Tables being written, not yet in any version. */
  pendingOutputs: ReadonlySet<number>;
  /** The log new writes go to. */
  logNumber: number;
  /** Names being removed in the background now, with their removal (skipped by later sweeps). */
  removing: Map<string, Promise<void>>;
}

/**
 * Deletes obsolete files; best effort (a failed removal is retried at the next sweep). Where the file
 * system has `removeAsync` the unlinks run off the main thread and the sweep does not wait for them.
 * Returns how many removals it started.
 */
export function deleteObsoleteFiles(state: SweepState): number {
  let names: string[];
  try {
    names = state.fs.list(state.dir);
  } catch {
    return 0;
  }
  const live = state.versions.liveFiles();
  const logNumber = state.versions.logNumber;
  const manifest = state.versions.manifestFileNumber;
  let deleted = 0;
  for (const name of names) {
    const parsed = parseFileName(name);
    if (parsed === undefined) continue;
    let keep: boolean;
    switch (parsed.kind) {
      case 'log':
        keep = parsed.number >= logNumber || parsed.number === state.logNumber;
        break;
      case 'table':
        keep = live.has(parsed.number) || state.pendingOutputs.has(parsed.number);
        break;
      case 'manifest':
        keep = parsed.number >= manifest;
        break;
      case 'temp':
        keep = false;
        break;
      default:
        keep = true;
    }
    if (keep || state.removing.has(name)) continue;
    if (parsed.kind === 'table') state.tables.evict(parsed.number);
    if (remove(state, name)) deleted++;
  }
  return deleted;
}

/** Starts removing `name`; false when it failed at once (it is retried at the next sweep). */
function remove(state: SweepState, name: string): boolean {
  const path = joinPath(state.dir, name);
  const fs = state.fs;
  if (fs.removeAsync === undefined) {
    try {
      fs.remove(path);
      return true;
    } catch {
      return false;
    }
  }
  const done = (): void => {
    state.removing.delete(name);
  };
  // A failed removal is retried at the next sweep.
  state.removing.set(name, fs.removeAsync(path).then(done, done));
  return true;
}
