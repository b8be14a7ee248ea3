/**
 * Performing one compaction task: a trivial move (re-label a file into a deeper level) or a merge of
 * the input files into new tables, run in slices between event-loop turns, then installed with one
 * manifest edit.
 * @module
 */
import { CompactionJob, type CompactionTask } from '@velocity/compaction';
import type { InternalKeyComparator, SeekableIterator } from '@velocity/core';
import type { CompactionEvent, CompactionFileInfo } from './events.js';
import { TableFile } from './file-meta.js';
import { LevelIterator } from './level-iterator.js';
import { now } from './schedule.js';
import type { SnapshotList } from './snapshot.js';
import type { TableCache } from './table-cache.js';
import { AbortedError, CompactionSink, type TableWriteContext } from './table-writer.js';
import { VersionEdit } from './version-edit.js';
import type { VersionSet } from './version-set.js';

/** Entries merged per call of `CompactionJob.step` between clock checks. */
const STEP_ENTRIES = 256;

/** What the runner needs from the engine. */
export interface CompactionHost {
  readonly icmp: InternalKeyComparator;
  readonly versions: VersionSet;
  readonly tables: TableCache;
  readonly snapshots: SnapshotList;
  readonly pendingOutputs: Set<number>;
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
    host.versions.logAndApply(edit);
    return {
      trivialMove: true,
      event: {
        reason: task.reason,
        trivialMove: true,
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
  const iterators: SeekableIterator[] = [];
  const sinks: CompactionSink[] = [];
  let installing = false;
  try {
    for (const input of task.inputs) {
      const files = input.files as TableFile[];
      if (input.level === 0) {
        for (const f of files) iterators.push(new LevelIterator(host.icmp, [f], host.tables));
      } else if (files.length > 0) {
        iterators.push(new LevelIterator(host.icmp, files, host.tables));
      }
    }
    const job = new CompactionJob({
      comparator: host.icmp,
      inputs: iterators,
      snapshots: host.snapshots.sequences(),
      bottommost: task.bottommost,
      targetFileSize: task.targetFileSize,
      openSink: () => {
        const number = host.versions.newFileNumber();
        host.pendingOutputs.add(number);
        const sink = new CompactionSink(ctx.fs, ctx.dir, number, ctx.builderOptions);
        sinks.push(sink);
        return sink;
      },
    });
    let sliceStart = now();
    while (!job.step(STEP_ENTRIES)) {
      if (now() - sliceStart >= ctx.sliceBudget()) {
        await ctx.nextTurn();
        if (ctx.aborted()) throw new AbortedError();
        sliceStart = now();
      }
    }
    if (ctx.aborted()) throw new AbortedError();
    if (sinks.length > 0) ctx.fs.syncDirectory(ctx.dir);
    const edit = new VersionEdit();
    for (const { level, file } of inputs) edit.deleteFile(level, file.id);
    const outputs: CompactionFileInfo[] = [];
    for (const out of job.outputs) {
      const sink = out.sink as CompactionSink;
      const file = new TableFile(
        sink.number,
        out.fileSize,
        out.smallestKey,
        out.largestKey,
        out.smallestSequence,
        out.largestSequence,
        out.entries,
        out.tombstones,
      );
      edit.addFile(task.outputLevel, file);
      outputs.push({ level: task.outputLevel, fileNumber: sink.number, bytes: out.fileSize });
    }
    installing = true;
    host.versions.logAndApply(edit);
    return {
      trivialMove: false,
      event: {
        reason: task.reason,
        trivialMove: false,
        inputs: inputInfo,
        outputs,
        bytesRead: job.bytesRead,
        bytesWritten: job.bytesWritten,
        entriesDropped: job.entriesDropped,
        durationMs: now() - started,
      },
    };
  } catch (error) {
    // After a failed manifest write the edit may have reached the manifest anyway: keep the outputs
    // (unreferenced ones are deleted at the next open).
    if (!installing) for (const sink of sinks) sink.discard();
    throw error;
  } finally {
    for (const it of iterators) it.close?.();
    for (const sink of sinks) host.pendingOutputs.delete(sink.number);
    version.unref();
  }
}
