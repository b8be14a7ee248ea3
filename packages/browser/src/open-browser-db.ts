/**
 * `openBrowserDB`: starts the database worker, opens the database on OPFS, returns the page's handle.
 * @module
 */
import { VelocityError } from '@velocity/core';
import type { FromWorker, WireOpenOptions } from './protocol.js';
import { BrowserDB } from './client/browser-db.js';
import { RpcChannel, type WorkerPort } from './client/rpc.js';
import { SharedCallsClient } from './client/shared-calls-client.js';
import { canShareMemory } from './shared-calls.js';
import { assertSupported } from './support.js';
import { startDatabaseWorker } from './start-worker.js';
import { fromWireError } from './wire-error.js';

/** Options of {@link openBrowserDB}. */
export interface BrowserDBOptions extends WireOpenOptions {
  /**
   * Starts the database worker. Default: the package's own `worker.js` as a module worker. Pass your
   * own when your bundler puts it elsewhere, for example
   * `() => new Worker(new URL('@velocity/browser/worker', import.meta.url), { type: 'module' })`.
   */
  worker?: () => Worker;
  /**
   * Serve lone `get`s, `put`s and `delete`s through a `SharedArrayBuffer` instead of `postMessage`
   * (1.5–3× the awaited gets and ~1.6× the awaited puts per second in the package's benchmark).
   * Default: true when the page is cross-origin
   * isolated (served with `Cross-Origin-Opener-Policy: same-origin` and
   * `Cross-Origin-Embedder-Policy: require-corp`), the only pages that may share memory; elsewhere
   * every call travels by message.
   */
  sharedMemory?: boolean;
}

/**
 * Opens (creating) the database `name` in the origin's private file system, in a dedicated worker,
 * and returns its handle. Rejects with `LOCKED` while another tab or worker has `name` open (it
 * succeeds once that one is closed or gone), and with `NOT_SUPPORTED` in a browser without Workers,
 * OPFS sync access handles or Web Locks.
 *
 * @example
 * ```ts
 * import { openBrowserDB } from '@velocity/browser';
 * const db = await openBrowserDB('notes');
 * await db.put('note:1', 'buy milk', { sync: true });
 * for await (const [key, value] of db.iterator({ gte: 'note:', lt: 'note;' })) {
 *   console.log(new TextDecoder().decode(key), new TextDecoder().decode(value));
 * }
 * await db.close();
 * ```
 */
export async function openBrowserDB(name: string, options: BrowserDBOptions = {}): Promise<BrowserDB> {
  if (typeof name !== 'string' || name === '') {
    throw new VelocityError('INVALID_ARGUMENT', 'openBrowserDB needs a non-empty name');
  }
  assertSupported('page');
  const { worker: start, sharedMemory = canShareMemory(), ...openOptions } = options;
  const shared = sharedMemory && canShareMemory() ? new SharedCallsClient() : undefined;
  const worker = (start ?? startDatabaseWorker)() as unknown as WorkerPort;
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
      if (data.type === 'opened') resolve();
      else if (data.type === 'open-failed') reject(fromWireError(data.error));
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      reject(new VelocityError('NOT_SUPPORTED', `the database worker did not start: ${event.message}`));
    };
    worker.postMessage({ type: 'open', name, options: openOptions, shared: shared?.buffer });
  }).catch((error) => {
    worker.terminate();
    throw error;
  });
  return new BrowserDB(new RpcChannel(worker, shared), name);
}
