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
}

/** Deletes obsolete files; best effort (a failed removal is retried at the next sweep). Returns how many went. */
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
    if (keep) continue;
    if (parsed.kind === 'table') state.tables.evict(parsed.number);
    try {
      state.fs.remove(joinPath(state.dir, name));
      deleted++;
    } catch {
      // Retried at the next sweep.
    }
  }
  return deleted;
}
