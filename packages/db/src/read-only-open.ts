/**
 * Read-only handles (`DB.open(dir, { readOnly: true })`): opening a database beside the process that
 * writes it, and catching up with that writer (`db.refresh()`).
 *
 * A read-only handle takes no lock and changes nothing in the directory. It reads `CURRENT`, the
 * manifest `CURRENT` names, and every write-ahead log from the manifest's log number on, replaying
 * their records into a memtable of its own, in memory only. The writer keeps working meanwhile, so the
 * handle checks that what it read is one state: every table the manifest lists is there (it opens and
 * holds each, see `PinnedFiles`), the manifest's own log is there, and the log records it replayed have
 * consecutive sequence numbers (a log read short while the writer went on to the next one leaves a
 * gap). When a check fails, the writer moved on between two reads: the handle starts again from
 * `CURRENT`, a few times, before it gives up with the error it met.
 *
 * `refresh()` does the same, and incrementally where it can: the manifest is read again only when
 * `CURRENT` names another one or it grew, and while its log number is unchanged the logs are read on
 * from where the last read stopped.
 * @module
 */
import {
  type FileLock,
  type WritableFile,
  VelocityError,
  basenameOf,
  corruption,
  joinPath,
} from '@velocity/core';
import type { MemTable } from '@velocity/memtable';
import { LogReader } from '@velocity/wal';
import { applyBatch, readBatchHeader } from './batch-buffer.js';
import { sleep } from './background-turns.js';
import { Engine } from './engine.js';
import { logFileName, manifestFileName, parseFileName, tableFileName } from './filenames.js';
import { checkFormatMarker } from './format-marker.js';
import { readCurrent } from './manifest.js';
import type { ResolvedOptions } from './options.js';
import { PinnedFiles, readOnlyError } from './pinned-files.js';
import { inspectDirectory } from './recovery.js';
import { VersionSet } from './version-set.js';

/** Reads of the directory before a read-only open or refresh gives up on a writer that keeps moving. */
const ATTEMPTS = 20;

/** Where the handle stopped reading the logs: a log, and the offset of the last record it read. */
interface LogPosition {
  log: number;
  offset: number;
}

/** What one read of the directory found. */
interface Loaded {
  /** The state the manifest records; undefined when the manifest is unchanged since the last read. */
  versions: VersionSet | undefined;
  manifestNumber: number;
  manifestSize: number;
  logNumber: number;
  /** The memtable holding the logs' records: the previous one when it was read on. */
  mem: MemTable;
  /** Sequence of the last log record replayed (0: none). */
  last: number;
  position: LogPosition;
}

/** Opens and holds table `id`; a missing one is `CORRUPTION`, as for the writer's open. */
function pinTable(files: PinnedFiles, dir: string, id: number): void {
  const path = tableFileName(dir, id);
  try {
    files.pin(path);
  } catch (error) {
    if (error instanceof VelocityError && error.code === 'NOT_FOUND') {
      throw corruption(`table ${id} named by the manifest is missing`, path);
    }
    throw error;
  }
}

/** Errors that mean "the writer moved on while we read": worth another read from `CURRENT`. */
function retryable(error: unknown): boolean {
  return error instanceof VelocityError && (error.code === 'NOT_FOUND' || error.code === 'CORRUPTION');
}

/** The state of one read-only handle between refreshes. */
class Follower {
  engine: Engine | undefined;
  private loaded: Loaded | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  /** Tables of the versions the handle held at the last refresh. */
  private known = new Set<number>();

  constructor(
    readonly files: PinnedFiles,
    readonly dir: string,
    readonly options: ResolvedOptions,
  ) {}

  /** Reads a consistent state, retrying while the writer moves on. */
  async load(): Promise<Loaded> {
    let lastError: unknown;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(Math.min(attempt, 10));
      try {
        // After a failure the next read starts from nothing: the previous state may be what was stale.
        return this.loadOnce(attempt === 0 ? this.loaded : undefined);
      } catch (error) {
        if (!retryable(error)) throw error;
        lastError = error;
      }
    }
    throw lastError;
  }

  private loadOnce(previous: Loaded | undefined): Loaded {
    const { files, dir, options } = this;
    const manifestNumber = readCurrent(files, dir);
    // The size before the read: an edit appended meanwhile makes the next refresh read it again.
    const manifestSize = files.size(manifestFileName(dir, manifestNumber));
    let versions: VersionSet | undefined;
    let logNumber: number;
    let manifestLast = 0;
    if (previous?.manifestNumber === manifestNumber && previous.manifestSize === manifestSize) {
      logNumber = previous.logNumber;
    } else {
      versions = new VersionSet(
        files,
        dir,
        options.comparator,
        options.compaction.numLevels,
        options.maxManifestSize,
      );
      versions.recover();
      if (versions.manifestFileNumber !== manifestNumber) throw corruption('CURRENT changed during the read');
      for (const level of versions.current.levels) for (const f of level) pinTable(files, dir, f.id);
      logNumber = versions.logNumber;
      manifestLast = versions.lastSequence;
    }
    const logs = files
      .list(dir)
      .map((name) => parseFileName(name))
      .filter((p) => p?.kind === 'log' && p.number >= logNumber)
      .map((p) => p!.number);
    if (!logs.includes(logNumber)) {
      throw corruption(`${logFileName(dir, logNumber)}, the log the manifest names, is missing`);
    }
    const continuing = previous !== undefined && previous.logNumber === logNumber;
    const from = continuing ? previous.position : { log: logNumber, offset: 0 };
    const read = readLogs(this, logs, from, continuing ? previous.last : 0);
    const mem = continuing ? previous.mem : options.memtableFactory(options.comparator);
    for (const record of read.records) applyBatch(record, record.length, mem);
    return {
      versions,
      manifestNumber,
      manifestSize,
      logNumber,
      mem,
      last: Math.max(read.last, manifestLast),
      position: read.position,
    };
  }

  /** Installs a state read by {@link load} in the engine, and lets go of the tables it no longer names. */
  install(engine: Engine, loaded: Loaded): void {
    const previousLast = engine.versions.lastSequence;
    if (loaded.versions !== undefined && loaded.versions !== engine.versions)
      engine.versions.adopt(loaded.versions);
    engine.versions.lastSequence = Math.max(previousLast, loaded.last, engine.versions.lastSequence);
    engine.mem = loaded.mem;
    engine.refreshRangeDeletions();
    this.loaded = loaded;
    const live = engine.versions.liveFiles();
    for (const id of this.known) if (!live.has(id)) engine.tables.evict(id);
    this.known = live;
    this.files.release((path) => {
      const parsed = parseFileName(basenameOf(path));
      return parsed !== undefined && live.has(parsed.number);
    });
  }

  /** See `DB.refresh`: one refresh at a time, in call order. */
  refresh(): Promise<void> {
    const run = this.refreshing.then(async () => {
      const engine = this.engine!;
      const loaded = await this.load();
      if (engine.closing) return; // closed meanwhile: its files are closed, and so are the pins
      this.install(engine, loaded);
    });
    this.refreshing = run.catch(() => {});
    return run;
  }
}

/** Replays log records after `last` from `from` on; throws `CORRUPTION` at a gap in the sequence. */
function readLogs(
  follower: Follower,
  logs: readonly number[],
  from: LogPosition,
  last: number,
): { records: Uint8Array[]; last: number; position: LogPosition } {
  const records: Uint8Array[] = [];
  let position = from;
  let seen = last;
  for (const number of logs) {
    if (number < from.log) continue;
    const path = logFileName(follower.dir, number);
    const file = follower.files.openReadable(path);
    try {
      const reader = new LogReader(file, { initialOffset: number === from.log ? from.offset : 0 });
      if (number !== from.log) position = { log: number, offset: 0 };
      for (let record = reader.readRecord(); record !== undefined; record = reader.readRecord()) {
        const { sequence, count } = readBatchHeader(record);
        applyBatch(record, record.length, undefined); // the whole batch parses, or the read fails
        position = { log: number, offset: reader.lastRecordOffset };
        if (count === 0 || (seen > 0 && sequence + count - 1 <= seen)) continue;
        if (seen > 0 && sequence !== seen + 1) {
          throw corruption(`${path}: records ${seen + 1}..${sequence - 1} were not read`, path);
        }
        records.push(record);
        seen = sequence + count - 1;
      }
    } finally {
      file.close();
    }
  }
  return { records, last: seen, position };
}

const followers = new WeakMap<Engine, Follower>();

/** Stands in for the log of a read-only engine, which never writes one. */
function noLog(dir: string): WritableFile {
  const path = joinPath(dir, '(no log: read-only)');
  return {
    path,
    size: 0,
    append: () => {
      throw readOnlyError('append', path);
    },
    flush: () => {},
    sync: () => {},
    close: () => {},
  };
}

/**
 * Opens the database in `dir` read-only (see the module comment). Rejects with `NOT_FOUND` when there
 * is no database (a read-only open creates none), `FORMAT_VERSION` for a newer format, and
 * `CORRUPTION` when no consistent state could be read.
 */
export async function openReadOnlyEngine(dir: string, options: ResolvedOptions): Promise<Engine> {
  const state = inspectDirectory(options.fs, dir);
  if (state !== 'database') {
    throw new VelocityError('NOT_FOUND', `no database in ${dir} (a read-only open creates none)`, {
      path: dir,
    });
  }
  if (options.errorIfExists) {
    throw new VelocityError('ALREADY_EXISTS', `a database already exists in ${dir}`, { path: dir });
  }
  checkFormatMarker(options.fs, dir);
  const files = new PinnedFiles(options.fs);
  const resolved: ResolvedOptions = { ...options, fs: files };
  const follower = new Follower(files, dir, resolved);
  let loaded: Loaded;
  try {
    loaded = await follower.load();
  } catch (error) {
    files.release(() => false);
    throw error;
  }
  // The handle's "lock" is its hold on the pinned tables: releasing it (the last step of close) closes them.
  const hold: FileLock = { path: dir, release: () => files.release(() => false) };
  const engine = new Engine(resolved, dir, hold, loaded.versions!, loaded.mem, noLog(dir), loaded.logNumber);
  follower.engine = engine;
  follower.install(engine, loaded);
  followers.set(engine, follower);
  return engine;
}

/** `DB.refresh`: catches a read-only engine up with the writer; nothing to do for a writable one. */
export function refreshEngine(engine: Engine): Promise<void> {
  return followers.get(engine)?.refresh() ?? Promise.resolve();
}
