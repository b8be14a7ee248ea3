/**
 * The database worker's main loop: waits for the `open` message, opens the database on OPFS, then
 * answers batches of requests and forwards the database's events.
 * @module
 */
import { DB, type DBEventName } from '@velocity/db';
import { OpfsMergeWorker } from '../merge/merge-host.js';
import { OpfsFileSystem } from '../opfs/opfs-file-system.js';
import type { FromWorker, ToWorker, WireOpenOptions } from '../protocol.js';
import { transferablesOf } from '../entry-chunk.js';
import { POOL_ROOT, poolName } from '../pool-directory.js';
import { assertSupported } from '../support.js';
import { toWireError } from '../wire-error.js';
import { DbServer } from './db-server.js';
import { SharedCallsServer } from './shared-calls-server.js';

/** The part of a dedicated worker's global scope this loop uses. */
export interface WorkerScope {
  postMessage(message: FromWorker, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: ToWorker }) => void): void;
  close(): void;
}

const EVENTS: readonly DBEventName[] = ['flush', 'compaction', 'write-stall', 'error'];

/**
 * The engine's background slices in this worker, in ms (the engine's default is 1, for Node's event
 * loop). Here merges, flushes and table warming share the thread with the calls it serves, and a turn
 * of its event loop comes at most every 4 ms (nested timers are clamped), so short slices stretch the
 * fill's background work over the gets that follow it. Alternated runs of the package's benchmark
 * (gets right after a 100k fill, five pairs each): 1 ms 22.8k gets/s, 4 ms 27.9k; 4 ms 28.3k, 8 ms
 * 36.2k; awaited puts the same. 16 ms measured faster still on a busier machine (36.0k against 19.2k
 * for 8 ms) but doubles the longest wait of a call behind a slice.
 */
const BACKGROUND_SLICE_MS = 8;

/**
 * Whether the machine likely has a core to spare for the merge worker: `navigator.hardwareConcurrency`
 * of 4 or more. On this package's 2-core benchmark machine (shared with other jobs) it made no
 * difference that the noise would show to the gets right after a 100k fill: 26.0k against 24.0k
 * gets/s in the first pass, faster in 6 of 12 alternated pairs, 39.9k against 36.9k in the second;
 * the fill was 13% faster, awaited puts 12.5k against 13.9k. There the page, the database worker and
 * the merge worker share two cores, and the first pass is slow mostly because its gets read tables
 * that are not resident yet, which the merge worker does not change; it does take ~190 ms of
 * background work per pass off the database worker's thread (CPU profiles), which is what a machine
 * with cores to spare gains. That was not measured here.
 */
function spareCore(): boolean {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return typeof cores === 'number' && cores >= 4;
}

async function open(name: string, options: WireOpenOptions): Promise<{ db: DB; fs: OpfsFileSystem }> {
  assertSupported('worker');
  const { quotaBytes, lockTimeoutMs, mergeWorker = spareCore(), ...dbOptions } = options;
  const directory = `${POOL_ROOT}/${poolName(name)}`;
  const fs = await OpfsFileSystem.open({ directory, quotaBytes, lockTimeoutMs });
  try {
    const db = await DB.open('/db', {
      backgroundSliceMs: BACKGROUND_SLICE_MS,
      ...dbOptions,
      fs,
      // Where the merge worker cannot start, merges fall back to this thread ('auto').
      compactionThread: mergeWorker ? 'auto' : 'main',
      compactionWorker: mergeWorker ? new OpfsMergeWorker(fs, directory) : undefined,
    });
    return { db, fs };
  } catch (error) {
    fs.close();
    throw error;
  }
}

/** Runs the worker side of `openBrowserDB` in `scope` (the worker's `self`). */
export function serve(scope: WorkerScope): void {
  let server: DbServer | undefined;
  let shared: SharedCallsServer | undefined;
  scope.addEventListener('message', ({ data }) => {
    if (data.type === 'open') {
      const buffer = data.shared;
      open(data.name, data.options).then(
        ({ db, fs }) => {
          for (const name of EVENTS) {
            db.on(name, (event) => {
              const wire =
                name === 'error' ? { error: toWireError((event as { error: unknown }).error) } : event;
              scope.postMessage({ type: 'event', name, event: wire });
            });
          }
          server = new DbServer(db, () => {
            shared?.stop();
            fs.close(); // handles and Web Lock go before the reply
          });
          if (buffer !== undefined) {
            shared = new SharedCallsServer(buffer, db, (reply) =>
              scope.postMessage({ type: 'replies', replies: [reply] }),
            );
            shared.start();
          }
          scope.postMessage({ type: 'opened' });
        },
        (error) => {
          scope.postMessage({ type: 'open-failed', error: toWireError(error) });
          scope.close();
        },
      );
    } else if (server !== undefined) {
      shared?.beforeMessage(); // a shared get made before this message runs before its calls
      const current = server;
      current.handle(data.requests, shared?.pendingWrite).then((replies) => {
        const values = replies.map((reply) => (reply.ok ? reply.value : undefined));
        scope.postMessage({ type: 'replies', replies }, transferablesOf(values));
        if (current.closed) scope.close();
      });
    }
  });
}
