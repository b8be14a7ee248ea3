/**
 * Performing one compaction task: a trivial move (re-label a file into a deeper level) or a merge of
 * the input files into new tables, run in the compaction worker when the database has one, else in
 * slices between event-loop turns, then installed with one manifest edit.
 * @module
 */
import type { CompactionTask } from '@velocity/compaction';
import { type InternalKeyComparator, VelocityError } from '@velocity/core';
import type { ResolvedOptions } from '../options.js';
import type { CompactionEvent, CompactionFileInfo } from '../events.js';
import { TableFile } from '../file-meta.js';
import { tableFileName } from '../filenames.js';
import { Merge, type MergeInput } from './merge.js';
import { now } from '../background-turns.js';
import type { SnapshotList } from '../snapshot.js';
import type { TableCache } from '../table-cache.js';
import { AbortedError } from '../aborted-error.js';
import { removeQuietly } from '../quiet-cleanup.js';
import { PendingSyncs, type TableWriteContext } from '../table-writer.js';
import { VersionEdit } from '../version-edit.js';
import type { VersionSet } from '../version-set.js';
import {
  type MergeWorker,
  OutOfFileNumbersError,
  type WorkerJob,
  type WorkerResult,
  type WorkerTableOptions,
  WorkerUnavailableError,
} from './worker-protocol.js';

/** Entries merged per call of `CompactionJob.step` between clock checks. */
const STEP_ENTRIES = 256;

/** What the runner needs from the engine. */
export interface CompactionHost {
  readonly icmp: InternalKeyComparator;
  readonly versions: VersionSet;
  readonly tables: TableCache;
  readonly snapshots: SnapshotList;
  readonly pendingOutputs: Set<number>;
  /** The compaction worker, when merges run in one (see `DBOptions.compactionThread`). */
  readonly worker: MergeWorker | undefined;
  /** Table options of worker jobs (plain data). */
  readonly workerTableOptions: WorkerTableOptions;
  /** The clock expiry is judged by, and the compaction filter (merges with one never reach a worker). */
  readonly options: Pick<ResolvedOptions, 'clock' | 'compactionFilter'>;
}

/** The result of a task. */
export interface CompactionOutcome {
  trivialMove: boolean;
  event: CompactionEvent;
}

/** A table the task reads. */
function inputFiles(task: CompactionTask): { level: number; file: TableFile }[] {
  const out: { level: number; file: TableFile }[] = [];
  for (const input of task.inputs) {
    for (const f of input.files) {
      if (!(f instanceof TableFile))
        throw new TypeError('compaction strategy returned a file it was not given');
      out.push({ level: input.level, file: f });
    }
  }
  return out;
}

/** Runs `task` to completion and installs its result. Throws on failure (outputs are removed). */
export async function runCompaction(
  host: CompactionHost,
  task: CompactionTask,
  ctx: TableWriteContext,
): Promise<CompactionOutcome> {
  const started = now();
  const inputs = inputFiles(task);
  const inputInfo: CompactionFileInfo[] = inputs.map(({ level, file }) => ({
    level,
    fileNumber: file.id,
    bytes: file.size,
  }));
  if (task.trivialMove === true && inputs.length === 1) {
    const { level, file } = inputs[0];
    const edit = new VersionEdit();
    edit.deleteFile(level, file.id);
    edit.addFile(task.outputLevel, file);
    await host.versions.logAndApplyAsync(edit);
    return {
      trivialMove: true,
      event: {
        reason: task.reason,
        trivialMove: true,
        thread: 'main',
        inputs: inputInfo,
        outputs: [{ level: task.outputLevel, fileNumber: file.id, bytes: file.size }],
        bytesRead: 0,
        bytesWritten: 0,
        entriesDropped: 0,
        durationMs: now() - started,
      },
    };
  }

  // Hold the version so that the input files stay while the merge reads them.
  const version = host.versions.current;
  version.ref();
  const outputNumbers: number[] = [];
  let thread: 'worker' | 'main' = 'main';
  let keepOutputs = false;
  try {
    let merged: MergeOutcome | undefined;
    if (host.worker !== undefined) {
      merged = await mergeInWorker(host, host.worker, task, inputs, ctx, outputNumbers);
      if (merged !== undefined) thread = 'worker';
    }
    merged ??= await mergeInThread(host, task, ctx, outputNumbers);
    const edit = new VersionEdit();
    for (const { level, file } of inputs) edit.deleteFile(level, file.id);
    const outputs: CompactionFileInfo[] = [];
    for (const file of merged.files) {
      edit.addFile(task.outputLevel, file);
      outputs.push({ level: task.outputLevel, fileNumber: file.id, bytes: file.size });
    }
    try {
      await host.versions.logAndApplyAsync(edit);
    } catch (error) {
      // The edit may have reached the manifest anyway: keep the outputs (unreferenced ones are
      // deleted at the next open).
      keepOutputs = true;
      throw error;
    }
    keepOutputs = true;
    return {
      trivialMove: false,
      event: {
        reason: task.reason,
        trivialMove: false,
        thread,
        inputs: inputInfo,
        outputs,
        bytesRead: merged.bytesRead,
        bytesWritten: merged.bytesWritten,
        entriesDropped: merged.entriesDropped,
        durationMs: now() - started,
      },
    };
  } finally {
    // Outputs of a merge that is not installed are garbage (a missing file is no error).
    for (const number of outputNumbers) {
      if (!keepOutputs) removeQuietly(ctx.fs, tableFileName(ctx.dir, number));
      host.pendingOutputs.delete(number);
    }
    version.unref();
  }
}

/** The result of a merge, fsynced with its directory, not installed yet. */
interface MergeOutcome {
  files: TableFile[];
  bytesRead: number;
  bytesWritten: number;
  entriesDropped: number;
}

/** A new output number, protected from obsolete-file deletion and recorded in `numbers`. */
function allocateOutput(host: CompactionHost, numbers: number[]): number {
  const number = host.versions.newFileNumber();
  host.pendingOutputs.add(number);
  numbers.push(number);
  return number;
}

/** Merges on the main thread, in slices between event-loop turns. */
async function mergeInThread(
  host: CompactionHost,
  task: CompactionTask,
  ctx: TableWriteContext,
  numbers: number[],
): Promise<MergeOutcome> {
  // Finished outputs are fsynced off the main thread (where the file system can) as the merge goes on.
  const syncs = new PendingSyncs();
  const merge = new Merge({
    icmp: host.icmp,
    inputs: task.inputs as MergeInput[],
    tables: host.tables,
    snapshots: host.snapshots.sequences(),
    bottommost: task.bottommost,
    targetFileSize: task.targetFileSize,
    fs: ctx.fs,
    dir: ctx.dir,
    builderOptions: ctx.builderOptions,
    nextNumber: () => allocateOutput(host, numbers),
    now: host.options.clock(),
    filter: host.options.compactionFilter,
    outputLevel: task.outputLevel,
    syncs,
  });
  try {
    let sliceStart = now();
    while (!merge.job.step(STEP_ENTRIES)) {
      if (now() - sliceStart >= ctx.sliceBudget()) {
        await ctx.nextTurn();
        if (ctx.aborted()) throw new AbortedError();
        sliceStart = now();
      }
    }
    await syncs.settle();
    if (ctx.aborted()) throw new AbortedError();
    if (merge.sinks.length > 0) ctx.fs.syncDirectory(ctx.dir);
  } catch (error) {
    await syncs.settle().catch(() => {}); // The files are closed only once no fsync uses them.
    merge.discard();
    throw error;
  } finally {
    merge.close();
  }
  const job = merge.job;
  return {
    files: merge.outputFiles(),
    bytesRead: job.bytesRead,
    bytesWritten: job.bytesWritten,
    entriesDropped: job.entriesDropped,
  };
}

/** Output numbers given to a worker job: twice the expected outputs, plus one per input, plus 4. */
export function outputNumbersFor(inputs: readonly { file: TableFile }[], targetFileSize: number): number {
  let bytes = 0;
  for (const { file } of inputs) bytes += file.size;
  return Math.ceil(bytes / targetFileSize) * 2 + inputs.length + 4;
}

/**
 * Merges in the compaction worker. Returns undefined (nothing written) when the job needed more
 * output numbers than it was given, or when the thread could not start under `compactionThread:
 * 'auto'`, so that the caller merges on the main thread instead.
 */
async function mergeInWorker(
  host: CompactionHost,
  worker: MergeWorker,
  task: CompactionTask,
  inputs: readonly { level: number; file: TableFile }[],
  ctx: TableWriteContext,
  numbers: number[],
): Promise<MergeOutcome | undefined> {
  const count = outputNumbersFor(inputs, task.targetFileSize);
  for (let i = 0; i < count; i++) allocateOutput(host, numbers);
  const job: WorkerJob = {
    dir: ctx.dir,
    inputs: task.inputs.map((input) => ({
      level: input.level,
      files: (input.files as TableFile[]).map((f) => f.fields()),
    })),
    snapshots: [...host.snapshots.sequences()],
    bottommost: task.bottommost,
    targetFileSize: task.targetFileSize,
    outputNumbers: [...numbers],
    ...host.workerTableOptions,
    now: host.options.clock(),
  };
  let result: WorkerResult;
  try {
    result = await worker.run(job);
  } catch (error) {
    if (ctx.aborted() && error instanceof VelocityError && error.code === 'CLOSED') throw new AbortedError();
    if (!(error instanceof OutOfFileNumbersError) && !(error instanceof WorkerUnavailableError)) throw error;
    // Garbage from the worker's attempt goes; the numbers are never reused.
    for (const number of numbers) removeQuietly(ctx.fs, tableFileName(ctx.dir, number));
    return undefined;
  }
  if (ctx.aborted()) throw new AbortedError();
  return {
    files: result.outputs.map((f) => new TableFile(f)),
    bytesRead: result.bytesRead,
    bytesWritten: result.bytesWritten,
    entriesDropped: result.entriesDropped,
  };
}
