/**
 * Opening a database: check the directory, lock it, read the format marker, replay the manifest and
 * the write-ahead logs, write recovered data to level-0 tables, start a new log and a new manifest.
 * @module
 */
import {
  type FileLock,
  type FileSystem,
  VelocityError,
  type WritableFile,
  corruption,
  joinPath,
} from '@velocity/core';
import type { MemTable } from '@velocity/memtable';
import { LogReader } from '@velocity/wal';
import { BATCH_HEADER_SIZE, applyBatch, readBatchHeader } from './batch-buffer.js';
import { memIsEmpty, memRangeTombstones } from './range-deletions.js';
import { Engine } from './engine.js';
import { CURRENT, FORMAT_MARKER, LOCK, logFileName, parseFileName, tableFileName } from './filenames.js';
import { checkFormatMarker, writeFormatMarker } from './format-marker.js';
import type { ResolvedOptions } from './options.js';
import { yieldToEventLoop } from './background-turns.js';
import { AbortedError } from './aborted-error.js';
import { removeQuietly } from './quiet-cleanup.js';
import { tableBuilderOptions, writeTable } from './table-writer.js';
import { VersionEdit } from './version-edit.js';
import { VersionSet } from './version-set.js';
import type { MergeWorker } from './compaction/worker-protocol.js';

/** What is at the database location before opening. */
export type DirectoryState = 'missing' | 'empty' | 'database' | 'incomplete';

/**
 * Classifies the directory without changing it. Throws `NOT_A_DATABASE` for a non-empty directory
 * that is not a Velocity database (including one with a `CURRENT` but no format marker, such as a
 * LevelDB directory).
 */
export function inspectDirectory(fs: FileSystem, dir: string): DirectoryState {
  if (!fs.exists(dir)) return 'missing';
  const names = fs.list(dir);
  const hasMarker = names.includes(FORMAT_MARKER);
  const hasCurrent = names.includes(CURRENT);
  if (hasMarker && hasCurrent) return 'database';
  if (hasMarker) {
    // Creation was interrupted before CURRENT was written: only our own files may be there.
    if (names.every((n) => parseFileName(n) !== undefined || isLockArtifact(n))) return 'incomplete';
  } else if (names.every(isLockArtifact)) {
    return 'empty'; // nothing, or the lock of a creation that died before writing the marker
  }
  throw new VelocityError('NOT_A_DATABASE', `${dir} is not empty and is not a Velocity database`, {
    path: dir,
  });
}

/** `LOCK`, or a file a lock implementation keeps beside it (`LOCK.<pid>.<random>.tmp`, `LOCK.stale.<pid>`). */
function isLockArtifact(name: string): boolean {
  return name === LOCK || name.startsWith(`${LOCK}.`);
}

/** Opens (and if allowed creates) the database in `dir`. */
export async function openEngine(
  dir: string,
  options: ResolvedOptions,
  worker?: MergeWorker,
): Promise<Engine> {
  const fs = options.fs;
  const state = inspectDirectory(fs, dir);
  if (state === 'database') {
    if (options.errorIfExists) {
      throw new VelocityError('ALREADY_EXISTS', `a database already exists in ${dir}`, { path: dir });
    }
    checkFormatMarker(fs, dir);
  } else if (!options.createIfMissing) {
    throw new VelocityError('NOT_FOUND', `no database in ${dir} (and createIfMissing is false)`, {
      path: dir,
    });
  } else if (state === 'incomplete') {
    checkFormatMarker(fs, dir);
  }
  if (state === 'missing') fs.mkdir(dir);
  const lock = fs.lock(joinPath(dir, LOCK));
  try {
    return await recover(dir, options, lock, state === 'database', worker);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function recover(
  dir: string,
  options: ResolvedOptions,
  lock: FileLock,
  exists: boolean,
  worker: MergeWorker | undefined,
): Promise<Engine> {
  const fs = options.fs;
  const versions = new VersionSet(
    fs,
    dir,
    options.comparator,
    options.compaction.numLevels,
    options.maxManifestSize,
  );
  if (exists) {
    versions.recover();
    checkFilesNamedByManifest(fs, dir, versions, options);
  } else {
    writeFormatMarker(fs, dir);
  }

  // Every numbered file in the directory counts as used, referenced or not.
  const logs: number[] = [];
  for (const name of fs.list(dir)) {
    const parsed = parseFileName(name);
    if (parsed === undefined) continue;
    versions.markFileNumberUsed(parsed.number);
    if (parsed.kind === 'log' && parsed.number >= versions.logNumber) logs.push(parsed.number);
  }
  logs.sort((a, b) => a - b);

  const edit = new VersionEdit();
  const ctx = {
    fs,
    dir,
    builderOptions: tableBuilderOptions(options),
    sliceBudget: () => options.backgroundSliceMs,
    nextTurn: yieldToEventLoop,
    aborted: () => false,
  };
  let mem = options.memtableFactory(options.comparator);
  const flushMem = async (): Promise<void> => {
    if (memIsEmpty(mem)) return;
    const number = versions.newFileNumber();
    const file = await writeTable(ctx, mem.iterator(), number, memRangeTombstones(mem));
    if (file !== undefined) edit.addFile(0, file);
    mem = options.memtableFactory(options.comparator);
  };
  try {
    let maxSequence = versions.lastSequence;
    for (const number of logs) {
      const { last, stop } = replayLog(fs, logFileName(dir, number), options, mem);
      if (last > maxSequence) maxSequence = last;
      if (mem.approximateMemoryUsage() >= options.memtableSize) await flushMem();
      if (stop) break;
    }
    versions.lastSequence = maxSequence;
    await flushMem();
  } catch (error) {
    for (const f of edit.newFiles) removeQuietly(fs, tableFileName(dir, f.file.id));
    throw error instanceof AbortedError ? corruption('recovery stopped') : error;
  }

  // A new log for new writes; its directory entry is durable before anything depends on it.
  const logNumber = versions.newFileNumber();
  let logFile: WritableFile | undefined;
  try {
    logFile = fs.openWritable(logFileName(dir, logNumber));
    fs.syncDirectory(dir);
    edit.logNumber = logNumber;
    versions.logAndApply(edit);
  } catch (error) {
    // The tables stay: a failed manifest write may still have named them. An unreferenced table or
    // log is deleted at the next successful open.
    logFile?.close();
    versions.close();
    throw error;
  }
  const engine = new Engine(
    options,
    dir,
    lock,
    versions,
    options.memtableFactory(options.comparator),
    logFile,
    logNumber,
    worker,
  );
  engine.deleteObsoleteFiles();
  engine.maybeScheduleCompaction();
  return engine;
}

/**
 * Checks that the files the recovered state needs are there: every table it lists, and the log its
 * log number names. That log is created (and its directory entry fsynced) before any manifest edit
 * names it, and deleted only after a later edit moved past it; so when it is missing, either it was
 * deleted by hand or the manifest lost edits it had acknowledged (a MANIFEST whose fsynced tail was
 * cut): the tables and writes those edits recorded would be swept or ignored. Both are `CORRUPTION`,
 * thrown before anything in the directory changes, unless the mode is `'skip-any-corrupted'`, which
 * opens what is left (and loses what the missing log or edits held).
 */
function checkFilesNamedByManifest(
  fs: FileSystem,
  dir: string,
  versions: VersionSet,
  options: ResolvedOptions,
): void {
  for (const level of versions.current.levels) {
    for (const f of level) {
      if (!fs.exists(tableFileName(dir, f.id))) {
        throw corruption(`table ${f.id} named by the manifest is missing`, tableFileName(dir, f.id));
      }
    }
  }
  const log = logFileName(dir, versions.logNumber);
  if (options.recoveryMode !== 'skip-any-corrupted' && !fs.exists(log)) {
    throw corruption(
      `${log}, the write-ahead log the manifest's last edit needs, is missing: the log was deleted or ` +
        `the manifest lost edits it had recorded${versions.manifestTailDropped ? ' (its tail is torn)' : ''}; ` +
        `nothing was changed (open with recoveryMode 'skip-any-corrupted' to accept the loss)`,
      log,
    );
  }
}

/** Replays one log into `mem`. Returns the last sequence seen and whether later logs must be ignored. */
function replayLog(
  fs: FileSystem,
  path: string,
  options: ResolvedOptions,
  mem: MemTable,
): { last: number; stop: boolean } {
  const file = fs.openReadable(path);
  let last = 0;
  try {
    const reader = new LogReader(file, { mode: options.recoveryMode });
    for (;;) {
      let record: Uint8Array | undefined;
      try {
        record = reader.readRecord();
      } catch (error) {
        throw withPath(error, path);
      }
      if (record === undefined) break;
      try {
        if (record.length < BATCH_HEADER_SIZE) throw corruption('log record shorter than a batch header');
        const { sequence } = readBatchHeader(record);
        const count = applyBatch(record, record.length, undefined);
        applyBatch(record, record.length, mem, sequence);
        if (count > 0) last = Math.max(last, sequence + count - 1);
      } catch (error) {
        // The record passed its checksum but does not parse: treat as the mode treats damage.
        if (options.recoveryMode === 'skip-any-corrupted') continue;
        if (options.recoveryMode === 'point-in-time') return { last, stop: true };
        throw withPath(error, path);
      }
    }
    const stop = options.recoveryMode === 'point-in-time' && reader.dropped.length > 0;
    return { last, stop };
  } finally {
    file.close();
  }
}

function withPath(error: unknown, path: string): unknown {
  if (error instanceof VelocityError && error.path === undefined) {
    return new VelocityError(error.code, `${path}: ${error.message}`, { path, cause: error });
  }
  return error;
}
