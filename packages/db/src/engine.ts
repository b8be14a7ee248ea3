/**
 * The state of an open database and the write side of the engine: memtable and log switching, write
 * stalls, background flushes and compactions, obsolete-file deletion, read-only mode and closing.
 * @module
 */
import type { CompactionStrategy, CompactionTask } from '@velocity/compaction';
import {
  type Comparator,
  type FileLock,
  type FileSystem,
  InternalKeyComparator,
  VelocityError,
  type WritableFile,
} from '@velocity/core';
import type { MemTable } from '@velocity/memtable';
import type { TableBuilderOptions } from '@velocity/sstable';
import { LogWriter } from '@velocity/wal';
import { applyBatch } from './batch-buffer.js';
import type { CompactionOutcome } from './compaction/runner.js';
import { CompactionScheduler } from './compaction/scheduler.js';
import { EventHub } from './events.js';
import { LoopYield } from './loop-yield.js';
import { logFileName, tableFileName } from './filenames.js';
import { type EngineCounters, newCounters } from './counters.js';
import { deleteObsoleteFiles } from './obsolete-files.js';
import { asVelocityError } from './input.js';
import { stripTrailer } from './internal-filter.js';
import type { ResolvedOptions } from './options.js';
import { BackgroundTurns, sleep } from './background-turns.js';
import { SnapshotList } from './snapshot.js';
import { MemoryBudget } from './memory-budget.js';
import { TableCache } from './table-cache.js';
import { TableWarmer } from './table-warmer.js';
import { AbortedError } from './aborted-error.js';
import { removeQuietly } from './quiet-cleanup.js';
import { collectFlushPayload } from './flush-payload.js';
import { TableFile } from './file-meta.js';
import { type TableWriteContext, tableBuilderOptions, writeTable } from './table-writer.js';
import { VersionEdit } from './version-edit.js';
import type { Version } from './version.js';
import type { VersionSet } from './version-set.js';
import {
  type MergeWorker,
  type WorkerTableOptions,
  WorkerUnavailableError,
  workerBloomBits,
} from './compaction/worker-protocol.js';
import {
  RangeViews,
  type RangeView,
  memIsEmpty,
  memRangeTombstones,
  versionHasRangeTombstones,
} from './range-deletions.js';

let nextInstance = 1;

/** `fs.syncDirectoryAsync` where the file system has it, else the synchronous call (as a promise). */
function syncDirectoryInBackground(fs: FileSystem, dir: string): Promise<void> {
  if (fs.syncDirectoryAsync !== undefined) return fs.syncDirectoryAsync(dir);
  try {
    fs.syncDirectory(dir);
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * How long a run of awaited calls may keep the host's event loop from turning (see loop-yield.ts).
 * Measured on a 1M awaited fill, timer lateness p99 / p99.9 / max: 4.4 / 9.6 / 25.8 ms with 1 ms
 * (and 1 ms turns donated to background work), 3.7 / 8.8-10.0 / 19.6-26.7 ms with 0.5 ms, at no
 * measurable throughput cost (150k against 170k puts/s in the same session).
 */
const AWAITED_RUN_BUDGET_MS = 0.5;
/** Longest turn a run of awaited writes donates to waiting background work (see background-turns.ts). */
const DONATED_TURN_MS = 0.5;

/** Everything an open database holds. Internal: `DB` is the public face. */
export class Engine {
  readonly icmp: InternalKeyComparator;
  readonly ucmp: Comparator;
  readonly fs: FileSystem;
  readonly tables: TableCache;
  /** Accounting of the memory held for table contents (see `DBOptions.memoryBudget`). */
  readonly memory: MemoryBudget;
  /** Makes the current version's tables resident while the engine is idle. */
  private readonly warmer: TableWarmer;
  readonly snapshots = new SnapshotList();
  readonly events = new EventHub();
  readonly builderOptions: TableBuilderOptions;
  readonly counters: EngineCounters = newCounters();
  /** Lets the host's event loop turn during long runs of awaited calls. */
  readonly loop = new LoopYield(AWAITED_RUN_BUDGET_MS);
  /** The memtable writes go to. */
  mem: MemTable;
  /** The frozen memtable being flushed, if any. */
  imm: MemTable | undefined;
  /** The log of `mem`. */
  private log: LogWriter;
  private logFile: WritableFile;
  /** Number of the log of `mem`. */
  logNumber: number;
  /** Table files being written (not yet in any version): never deleted as obsolete. */
  readonly pendingOutputs = new Set<number>();
  /** Obsolete files being removed in the background (see `deleteObsoleteFiles`). */
  readonly removing = new Map<string, Promise<void>>();
  /** The first background or write-path I/O error; writes are refused from then on. */
  backgroundError: VelocityError | undefined;
  /** True once close() started: no new work is accepted. */
  closing = false;
  /** True once close() finished. */
  closed = false;
  /** Write pressure from the compaction strategy, refreshed at every version change. */
  private pressure: 'ok' | 'slowdown' | 'stop' = 'ok';
  private slowdownUsed = false;
  private stallCause: 'memtable' | 'level0-stop' | 'level0-slowdown' = 'memtable';
  private progressWaiters: (() => void)[] = [];
  private flushing: Promise<void> | undefined;
  /** Background fsyncs of logs running now (settles, never rejects), if any. */
  private logSyncing: Promise<void> | undefined;
  /** Resolves when every log that rotation replaced is synced and closed; rejects if a sync failed. */
  private oldLogsSynced: Promise<void> = Promise.resolve();
  private readonly compactions: CompactionScheduler;
  private readonly tableContext: TableWriteContext;
  /** Turns for background slices (see {@link BackgroundTurns}). */
  readonly turns: BackgroundTurns;
  /** See {@link CompactionHost.workerTableOptions}. */
  readonly workerTableOptions: WorkerTableOptions;
  /**
   * False while no range tombstone exists in the memtables or the current version's files: reads
   * then skip range deletions altogether (one check). Refreshed by {@link Engine.refreshRangeDeletions}.
   */
  rangeDeletionsLive = false;
  private readonly rangeViews: RangeViews;

  constructor(
    readonly options: ResolvedOptions,
    readonly dir: string,
    private readonly lock: FileLock,
    readonly versions: VersionSet,
    mem: MemTable,
    logFile: WritableFile,
    logNumber: number,
    /** The compaction worker, when merges run in one. */
    readonly worker: MergeWorker | undefined = undefined,
  ) {
    this.fs = options.fs;
    this.turns = new BackgroundTurns(
      options.backgroundSliceMs,
      Math.min(DONATED_TURN_MS, options.backgroundSliceMs),
    );
    this.ucmp = options.comparator;
    this.icmp = new InternalKeyComparator(options.comparator);
    this.builderOptions = tableBuilderOptions(options, this.icmp);
    this.memory = new MemoryBudget(options.memoryBudget, options.blockCache?.capacity ?? 0);
    this.tables = new TableCache(
      this.fs,
      dir,
      {
        comparator: this.icmp,
        filterPolicy: this.builderOptions.filterPolicy,
        filterKey: stripTrailer,
        blockCache: options.blockCache ?? undefined,
        blockPool: options.blockPool,
        codecs: options.codecs,
      },
      `${nextInstance++}:`,
      options.maxOpenFiles,
      this.memory,
    );
    this.mem = mem;
    this.logFile = logFile;
    this.log = new LogWriter(logFile);
    this.logNumber = logNumber;
    this.tableContext = {
      fs: this.fs,
      dir,
      builderOptions: this.builderOptions,
      sliceBudget: () => this.turns.budgetMs,
      nextTurn: () => this.turns.next(),
      aborted: () => this.closing || this.backgroundError !== undefined,
    };
    this.workerTableOptions = {
      blockSize: options.blockSize,
      blockRestartInterval: options.blockRestartInterval,
      compression: options.compression.id,
      bloomBitsPerKey: workerBloomBits(options.filterPolicy),
    };
    this.rangeViews = new RangeViews(this.ucmp, this.tables);
    this.refreshRangeDeletions();
    this.compactions = new CompactionScheduler(this, this.tableContext);
    versions.onVersionReleased = () => this.deleteObsoleteFiles();
    this.warmer = new TableWarmer(
      this.tables,
      () => this.versions.current,
      () => this.imm === undefined && this.compactions.busy.size === 0,
      () => this.closing || this.backgroundError !== undefined,
      this.turns,
    );
    this.refreshPressure();
    this.warmer.kick();
  }

  /** Recomputes {@link Engine.rangeDeletionsLive} (after the memtables or the version changed). */
  refreshRangeDeletions(): void {
    this.rangeDeletionsLive =
      memRangeTombstones(this.mem).length > 0 ||
      (this.imm !== undefined && memRangeTombstones(this.imm).length > 0) ||
      versionHasRangeTombstones(this.versions.current);
  }

  /** The range tombstones a read starting now consults (only when {@link rangeDeletionsLive}). */
  rangeView(): RangeView {
    return this.rangeViews.view(this.mem, this.imm, this.versions.current);
  }

  /** Sequence number of the last applied write. */
  get lastSequence(): number {
    return this.versions.lastSequence;
  }

  // ---- errors -------------------------------------------------------------------------------------

  /** `CLOSED`, `OPENED_READ_ONLY` or `READ_ONLY` when writes are refused, else undefined. */
  writeError(): VelocityError | undefined {
    if (this.closing) return new VelocityError('CLOSED', 'database is closed');
    if (this.options.readOnly) {
      return new VelocityError('OPENED_READ_ONLY', `${this.dir} was opened read-only: it takes no writes`);
    }
    if (this.backgroundError !== undefined) return this.readOnlyError();
    return undefined;
  }

  /** The `READ_ONLY` error, with the original failure as its cause. */
  readOnlyError(): VelocityError {
    const cause = this.backgroundError;
    return new VelocityError(
      'READ_ONLY',
      `database is read-only after an I/O error${cause ? `: ${cause.message}` : ''}; reopen it`,
      { cause },
    );
  }

  /** Records the first write-path failure; the database refuses writes from now on. */
  fail(error: unknown): VelocityError {
    const e = asVelocityError(error);
    if (this.backgroundError === undefined && !(e instanceof AbortedError)) {
      this.backgroundError = e;
      this.events.emit('error', { error: e });
    }
    this.notifyProgress();
    return e;
  }

  // ---- write path ---------------------------------------------------------------------------------

  /** Appends one sealed batch to the log and applies it (see `WriteTarget.commitBatch`). */
  commitBatch(data: Uint8Array, sequence: number, count: number, sync: boolean, payloadBytes: number): void {
    this.appendBatch(data, !sync);
    if (sync) {
      try {
        this.log.sync();
      } catch (error) {
        throw this.fail(error);
      }
      this.counters.syncs++;
    }
    this.applyBatch(data, sequence, count, payloadBytes);
  }

  /** See `WriteTarget.pipelinedSync`. */
  get pipelinedSync(): boolean {
    return this.log.syncsAsynchronously;
  }

  /** See `WriteTarget.appendBatch` (`flush` false: the caller syncs next, which flushes too). */
  appendBatch(data: Uint8Array, flush = true): void {
    const log = this.log;
    const before = log.size;
    try {
      log.addRecord(data);
      if (flush) log.flush();
    } catch (error) {
      throw this.fail(error);
    }
    this.counters.walBytes += log.size - before;
  }

  /**
   * Syncs and closes a log that rotation replaced, in the background; `syncLog` waits for it, so no
   * synced write to the new log is acknowledged before the old log's writes are durable.
   */
  private syncOldLog(log: LogWriter, file: WritableFile): void {
    const closeBoth = (): void => {
      try {
        log.close();
        file.close();
      } catch {
        // The sync's outcome is what matters; a close failure after it loses nothing.
      }
    };
    const earlier = this.oldLogsSynced;
    const synced = log.syncAsync().then(
      () => closeBoth(),
      (error: unknown) => {
        closeBoth();
        throw this.fail(error);
      },
    );
    // The new log's directory entry, too, is durable before a synced write to it is acknowledged.
    const entry = syncDirectoryInBackground(this.fs, this.dir).catch((error: unknown) => {
      throw this.fail(error);
    });
    this.oldLogsSynced = Promise.all([earlier, synced, entry]).then(() => {});
    this.trackLogSync(this.oldLogsSynced);
  }

  private trackLogSync(syncing: Promise<void>): void {
    const settled = syncing.then(
      () => {},
      () => {},
    );
    const previous = this.logSyncing;
    this.logSyncing = previous === undefined ? settled : Promise.all([previous, settled]).then(() => {});
  }

  /** See `WriteTarget.syncLog`. */
  syncLog(): Promise<void> {
    const own = this.log.syncAsync();
    const syncing = Promise.all([own, this.oldLogsSynced]).then(
      () => {
        this.counters.syncs++;
      },
      (error: unknown) => {
        throw this.fail(error);
      },
    );
    this.trackLogSync(syncing);
    return syncing;
  }

  /** See `WriteTarget.applyBatch`. */
  applyBatch(data: Uint8Array, sequence: number, count: number, payloadBytes: number): void {
    try {
      applyBatch(data, data.length, this.mem, sequence);
    } catch (error) {
      throw this.fail(error);
    }
    if (!this.rangeDeletionsLive && memRangeTombstones(this.mem).length > 0) this.rangeDeletionsLive = true;
    this.versions.lastSequence = sequence + count - 1;
    const c = this.counters;
    c.userBytes += payloadBytes;
    c.userWrites += count;
    c.groups++;
    this.slowdownUsed = false;
    this.turns.donate();
  }

  /** Resolves once no fsync of the log runs in the background (the log may then be closed). */
  private async logSyncSettled(): Promise<void> {
    while (this.logSyncing !== undefined) {
      const syncing = this.logSyncing;
      await syncing;
      if (this.logSyncing === syncing) this.logSyncing = undefined;
    }
  }

  /** See `WriteTarget.makeRoomForWrite`. */
  makeRoomForWrite(): boolean {
    if (this.pressure !== 'ok' && !this.compactions.active) this.maybeScheduleCompaction();
    if (this.pressure === 'stop' && this.compactions.active) {
      this.stallCause = 'level0-stop';
      return false;
    }
    if (this.pressure === 'slowdown' && !this.slowdownUsed) {
      this.slowdownUsed = true;
      this.stallCause = 'level0-slowdown';
      return false;
    }
    if (this.mem.approximateMemoryUsage() < this.options.memtableSize) return true;
    if (this.imm !== undefined) {
      this.stallCause = 'memtable';
      return false;
    }
    try {
      this.rotateMemtable();
    } catch {
      return false; // read-only now; waitForRoom resolves at once and the writes fail
    }
    return true;
  }

  /** See `WriteTarget.waitForRoom`. */
  async waitForRoom(): Promise<void> {
    if (this.backgroundError !== undefined || this.closed) return;
    const started = Date.now();
    this.counters.stalls++;
    if (this.events.has('write-stall')) {
      this.events.emit('write-stall', {
        cause: this.stallCause,
        level0Files: this.versions.current.levels[0].length,
      });
    }
    if (this.stallCause === 'level0-slowdown') await sleep(1);
    else await this.waitForProgress();
    this.counters.stallMs += Date.now() - started;
  }

  /** Resolves at the next flush or compaction install, failure, or close. */
  waitForProgress(): Promise<void> {
    if (this.backgroundError !== undefined || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.progressWaiters.push(resolve));
  }

  private notifyProgress(): void {
    const waiters = this.progressWaiters;
    if (waiters.length === 0) return;
    this.progressWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * Freezes the memtable and starts a new one with a new log (the old log is fsynced first, and the
   * new one's directory entry is fsynced, so synced writes to it survive power loss together with
   * every write before them), then starts flushing the frozen one.
   * REQUIRES: no frozen memtable.
   */
  rotateMemtable(): void {
    if (this.imm !== undefined)
      throw new VelocityError('INVALID_ARGUMENT', 'a memtable is already being flushed');
    let file: WritableFile | undefined;
    const number = this.versions.newFileNumber();
    const pipelined = this.log.syncsAsynchronously;
    try {
      // The old log is synced before a synced write to the new one is acknowledged: a later synced
      // write must make every earlier acknowledged write durable too (the prefix rule), and those
      // earlier writes live in the old log until its memtable's table is recorded. Where the log can
      // sync in the background, that sync runs off the main thread and `syncLog` waits for it;
      // otherwise it runs here, before any write goes to the new log.
      if (!pipelined) this.log.sync();
      file = this.fs.openWritable(logFileName(this.dir, number));
      if (pipelined) this.syncOldLog(this.log, this.logFile);
      else {
        this.fs.syncDirectory(this.dir);
        this.log.close();
        this.logFile.close();
      }
    } catch (error) {
      if (file !== undefined) {
        try {
          file.close();
        } catch {
          // Already failing.
        }
        removeQuietly(this.fs, logFileName(this.dir, number));
      }
      throw this.fail(error);
    }
    this.logFile = file;
    this.log = new LogWriter(file);
    this.logNumber = number;
    this.imm = this.mem;
    this.mem = this.options.memtableFactory(this.ucmp);
    this.flushing = this.flushImmutable();
  }

  /** Writes the frozen memtable to a level-0 table and records it (with the new log number). */
  private async flushImmutable(): Promise<void> {
    const imm = this.imm!;
    const number = this.versions.newFileNumber();
    const started = Date.now();
    this.pendingOutputs.add(number);
    let installing = false;
    try {
      // Let the write that triggered the switch finish first.
      await this.turns.next();
      if (this.tableContext.aborted()) throw new AbortedError();
      const { file, thread } = await this.writeFlushTable(imm, number);
      const edit = new VersionEdit();
      if (file !== undefined) edit.addFile(0, file);
      edit.logNumber = this.logNumber;
      installing = true;
      await this.versions.logAndApplyAsync(edit);
      this.imm = undefined;
      if (file !== undefined) {
        this.counters.flushes++;
        this.counters.flushBytes += file.size;
        if (this.events.has('flush')) {
          this.events.emit('flush', {
            fileNumber: number,
            level: 0,
            bytes: file.size,
            entries: file.entries,
            thread,
            durationMs: Date.now() - started,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof AbortedError)) this.fail(error);
      // After a failed manifest write the edit may still have reached the manifest: keep the table
      // (an unreferenced one is deleted at the next open).
      if (!installing) removeQuietly(this.fs, tableFileName(this.dir, number));
    } finally {
      this.pendingOutputs.delete(number);
      this.flushing = undefined;
    }
    this.afterVersionChange();
  }

  /**
   * Writes the frozen memtable to table `number` (fsynced, and its directory entry too): in the
   * compaction worker when there is one (the entries are copied out in slices and transferred; the
   * table is built, compressed, filtered and fsynced off the main thread), else here in slices.
   * The table is undefined when the memtable is empty.
   */
  private async writeFlushTable(
    imm: MemTable,
    number: number,
  ): Promise<{ file: TableFile | undefined; thread: 'worker' | 'main' }> {
    const worker = this.worker;
    const ranges = memRangeTombstones(imm);
    if (worker !== undefined) {
      const ctx = this.tableContext;
      const payload = await collectFlushPayload(imm, ctx);
      if (payload.count === 0 && ranges.length === 0) return { file: undefined, thread: 'main' };
      try {
        const job = { dir: this.dir, number, ...this.workerTableOptions, ...payload, ranges: [...ranges] };
        const fields = await worker.flush(job);
        if (ctx.aborted()) throw new AbortedError();
        return { file: fields === undefined ? undefined : new TableFile(fields), thread: 'worker' };
      } catch (error) {
        if (ctx.aborted()) throw new AbortedError();
        // A thread that cannot start: this flush (and every later one) is written here instead.
        if (!(error instanceof WorkerUnavailableError)) throw error;
      }
    }
    const file = await writeTable(this.tableContext, imm.iterator(), number, ranges);
    if (file !== undefined) await syncDirectoryInBackground(this.fs, this.dir);
    return { file, thread: 'main' };
  }

  /** Resolves when the flush running now (if any) ended. */
  async waitForFlush(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
  }

  /**
   * Flushes whatever the memtables hold now and resolves when it is in level-0 tables. Throws
   * `READ_ONLY` when the database failed meanwhile.
   */
  async flushMemTables(): Promise<void> {
    const targets: MemTable[] = [];
    if (this.imm !== undefined) targets.push(this.imm);
    if (!memIsEmpty(this.mem)) targets.push(this.mem);
    while (targets.includes(this.mem) || (this.imm !== undefined && targets.includes(this.imm))) {
      const error = this.writeError();
      if (error !== undefined) throw error;
      if (this.imm !== undefined) await this.waitForFlush();
      else if (this.logSyncing !== undefined) await this.logSyncSettled();
      else this.rotateMemtable();
    }
    const error = this.writeError();
    if (error !== undefined) throw error;
  }

  private afterVersionChange(): void {
    this.refreshRangeDeletions();
    this.refreshPressure();
    this.deleteObsoleteFiles();
    this.notifyProgress();
    this.maybeScheduleCompaction();
    this.warmer.kick();
  }

  private refreshPressure(): void {
    const strategy = this.options.compaction;
    this.pressure =
      strategy.writePressure?.(this.versions.current.view(this.ucmp, this.compactions.busy)) ?? 'ok';
  }

  // ---- compaction ---------------------------------------------------------------------------------

  /** Starts a compaction when the strategy wants one and none is running. */
  maybeScheduleCompaction(): void {
    if (!this.options.readOnly) this.compactions.maybeSchedule();
  }

  /** See {@link CompactionScheduler.compactRange}. */
  compactRange(start: Uint8Array | undefined, end: Uint8Array | undefined): Promise<void> {
    const error = this.writeError();
    if (error !== undefined) return Promise.reject(error);
    return this.compactions.compactRange(start, end);
  }

  /** The compaction strategy (see {@link SchedulerHost.strategy}). */
  get strategy(): CompactionStrategy {
    return this.options.compaction;
  }

  /** See {@link SchedulerHost.afterCompaction}. */
  afterCompaction(outcome: CompactionOutcome | undefined, manual: boolean): void {
    if (outcome !== undefined) {
      const c = this.counters;
      if (outcome.trivialMove) c.trivialMoves++;
      else c.compactions++;
      c.compactionBytesRead += outcome.event.bytesRead;
      c.compactionBytesWritten += outcome.event.bytesWritten;
    }
    if (manual) {
      this.refreshRangeDeletions();
      this.refreshPressure();
      this.deleteObsoleteFiles();
      this.notifyProgress();
      this.warmer.kick();
    } else {
      this.afterVersionChange();
    }
  }

  /** See {@link SchedulerHost.pick}. */
  pick(version: Version, busy: ReadonlySet<number>): CompactionTask | undefined {
    return this.options.compaction.pickCompaction(version.view(this.ucmp, busy));
  }

  /** See {@link SchedulerHost.stopped}. */
  stopped(): boolean {
    return this.closing || this.backgroundError !== undefined;
  }

  // ---- files --------------------------------------------------------------------------------------

  /** Deletes files no live version, pending output or needed log refers to. Best effort. */
  deleteObsoleteFiles(): void {
    if (this.backgroundError !== undefined || this.closed || this.options.readOnly) return;
    this.counters.obsoleteFilesDeleted += deleteObsoleteFiles(this);
  }

  // ---- close --------------------------------------------------------------------------------------

  /** Stops background work at a safe point and releases files and the lock. */
  async close(): Promise<void> {
    this.closing = true;
    this.notifyProgress();
    // A merge running in the worker is stopped (its outputs are removed once the thread exited).
    const workerClosed = this.worker?.close();
    await Promise.allSettled([
      this.waitForFlush(),
      this.compactions.allIdle(),
      workerClosed,
      this.logSyncSettled(),
      this.versions.whenInstalled(),
    ]);
    // After close() the directory is quiet: no removal still runs (a copy taken now is stable).
    await Promise.allSettled([...this.removing.values()]);
    let firstError: unknown;
    const attempt = (fn: () => void): void => {
      try {
        fn();
      } catch (error) {
        firstError ??= error;
      }
    };
    attempt(() => this.log.close());
    attempt(() => this.logFile.close());
    attempt(() => this.versions.close());
    attempt(() => this.tables.close());
    this.snapshots.releaseAll();
    this.closed = true;
    attempt(() => this.lock.release());
    this.notifyProgress();
    if (firstError !== undefined && this.backgroundError === undefined) throw asVelocityError(firstError);
  }
}
