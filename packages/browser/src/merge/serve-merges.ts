/**
 * The merge worker's loop: a second dedicated worker, started by the database worker, that runs
 * compaction merges and memtable flush table builds (`runMergeJob`, `runFlushJob` of
 * `@velocity/db/compaction-worker`) on handles of its own, opened with `mode: 'readwrite-unsafe'` on
 * the slot files of the database's pool, so that the database worker's thread only serves calls.
 *
 * It reads the input tables through their slot files (named by the database worker) and writes each
 * output into a free slot lent to the job, claiming it with a flushed header. Outputs are flushed
 * (the OPFS fsync) before the job answers. It never touches any other slot: the pool, the manifest and
 * the decision which files live stay with the database worker.
 * @module
 */
import { VelocityError } from '@velocity/core';
import { runFlushJob, runMergeJob, serializeError } from '@velocity/db/compaction-worker';
import { domErrorName, fromDomError } from '../opfs/dom-errors.js';
import {
  type OpfsDirectoryHandle,
  type OpfsFileHandle,
  type SyncAccessHandle,
  opfsDirectory,
  opfsRoot,
} from '../opfs/opfs-types.js';
import { type ByteBudget, Slot } from '../opfs/slot.js';
import { type OpenLentSlot, LentFileSystem } from './lent-file-system.js';
import type { FromMergeWorker, Lending, ToMergeWorker } from './merge-protocol.js';

/** The part of the merge worker's global scope the loop uses. */
export interface MergeWorkerScope {
  postMessage(message: FromMergeWorker): void;
  addEventListener(type: 'message', listener: (event: { data: ToMergeWorker }) => void): void;
}

/** Thrown where this worker cannot open a second handle: the database then merges on its own thread. */
class NoSecondHandle extends VelocityError {}

/** Below this many spare slots a merge asks for more (and goes on while they come). */
const LOW_SPARE = 2;
/**
 * Entries merged per step: with 100-byte values about 110 KiB, less than one output, so a step opens
 * at most one new output file and the spare slots last until a top-up arrives; and short enough
 * (under a millisecond) that a flush build arriving mid-merge starts soon.
 */
const STEP_ENTRIES = 1024;

/** How long one `createSyncAccessHandle` may take before it is asked again, in ms. */
const OPEN_PATIENCE_MS = 250;
/** Attempts before the job gives up on a handle. */
const OPEN_ATTEMPTS = 8;

/**
 * Opens a second handle on a slot file, with a timer pending meanwhile. In Chromium 150 an open awaited
 * while nothing else was pending in this worker (a merge waiting for its top-up of slots) now and
 * then never settled: 4 of 24 runs of the merge-worker test hung on one. With the timer of each
 * attempt pending, 0 of 24 hung and no attempt ran past {@link OPEN_PATIENCE_MS}; the attempts are
 * a safety net. A handle that cannot be opened makes the job fail as unavailable (the engine then
 * merges on its own thread).
 */
async function openPatiently(file: OpfsFileHandle, name: string): Promise<SyncAccessHandle> {
  for (let attempt = 1; ; attempt++) {
    const opening = file.createSyncAccessHandle({ mode: 'readwrite-unsafe' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), OPEN_PATIENCE_MS);
    });
    let handle: SyncAccessHandle | undefined;
    try {
      handle = await Promise.race([opening, late]);
    } catch (error) {
      if (domErrorName(error) === 'NotFoundError') throw fromDomError(error, name);
      throw new NoSecondHandle('IO_ERROR', `the merge worker cannot open ${name}: ${String(error)}`);
    } finally {
      clearTimeout(timer);
    }
    if (handle !== undefined) return handle;
    // An attempt that settles after all: its handle is closed, never used.
    opening.then(
      (h) => h.close(),
      () => {},
    );
    if (attempt === OPEN_ATTEMPTS) {
      throw new NoSecondHandle('IO_ERROR', `the merge worker could not open ${name} in time`);
    }
  }
}

/** Resolves after one turn of the event loop, without the 4 ms clamp of nested timers. */
function turn(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Runs the merge worker's side in `scope` (its `self`). */
export function serveMerges(scope: MergeWorkerScope): void {
  let directory: Promise<OpfsDirectoryHandle> | undefined;
  /** This worker's handle of each slot file, opened once. */
  const handles = new Map<string, Promise<SyncAccessHandle>>();
  /** Top-ups asked for, by job id. */
  const topUps = new Map<number, (lending: Lending) => void>();

  const handle = (name: string): Promise<SyncAccessHandle> => {
    let opened = handles.get(name);
    if (opened === undefined) {
      opened = (directory ?? Promise.reject(new Error('no init message')))
        .then((dir) => dir.getFileHandle(name))
        .then((file) => openPatiently(file, name));
      opened.catch(() => handles.delete(name));
      handles.set(name, opened);
    }
    return opened;
  };

  /** Slots on this worker's handles (sizes read now: the database worker wrote them). */
  const slots = async (names: readonly string[], budget: ByteBudget): Promise<Slot[]> => {
    const out: Slot[] = [];
    for (const name of names) out.push(new Slot(name, await handle(name), undefined, budget));
    return out;
  };

  const lend = async (fs: LentFileSystem, lending: Lending): Promise<void> => {
    if (lending.room !== null) fs.budget.limit = fs.budget.used + lending.room;
    const opened = await slots(
      lending.slots.map((s) => s.name),
      fs.budget,
    );
    fs.lend(opened.map((slot, i): OpenLentSlot => ({ slot, generation: lending.slots[i].generation })));
  };

  const jobFileSystem = async (inputs: Record<string, string>, lending: Lending): Promise<LentFileSystem> => {
    const budget: ByteBudget = { used: 0, limit: Number.POSITIVE_INFINITY };
    const paths = Object.keys(inputs);
    const opened = await slots(
      paths.map((p) => inputs[p]),
      budget,
    );
    const fs = new LentFileSystem(new Map(paths.map((p, i) => [p, opened[i]])), budget);
    await lend(fs, lending);
    return fs;
  };

  const fail = (id: number, error: unknown): void => {
    const unavailable = error instanceof NoSecondHandle;
    scope.postMessage({ type: 'failed', id, error: serializeError(error), unavailable });
  };

  scope.addEventListener('message', ({ data }) => {
    switch (data.type) {
      case 'init':
        directory = opfsRoot().then((root) => opfsDirectory(root, data.directory.join('/')));
        break;
      case 'lent':
        topUps.get(data.id)?.(data.lending);
        topUps.delete(data.id);
        break;
      case 'merge': {
        const { id, job } = data;
        let asked: Promise<void> | undefined;
        jobFileSystem(data.inputs, data.lending)
          .then((fs) => {
            const betweenSteps = async (): Promise<void> => {
              if (fs.spareCount < LOW_SPARE && asked === undefined) {
                asked = new Promise<Lending>((resolve) => {
                  topUps.set(id, resolve);
                  scope.postMessage({ type: 'more', id });
                })
                  .then((lending) => lend(fs, lending))
                  .finally(() => {
                    asked = undefined;
                  });
              }
              if (fs.spareCount === 0 && asked !== undefined) await asked;
              await turn();
            };
            return runMergeJob(fs, job, { betweenSteps, stepEntries: STEP_ENTRIES });
          })
          .then(
            (result) => scope.postMessage({ type: 'merged', id, result }),
            (error: unknown) => fail(id, error),
          );
        break;
      }
      case 'flush': {
        const { id, job } = data;
        jobFileSystem({}, data.lending)
          .then((fs) => runFlushJob(fs, job))
          .then(
            (file) => scope.postMessage({ type: 'flushed', id, file }),
            (error: unknown) => fail(id, error),
          );
        break;
      }
    }
  });
}
