/**
 * `deleteBrowserDB`: removes a database's files from the origin's private file system.
 * @module
 */
import { VelocityError } from '@velocity/core';
import { domErrorName } from './opfs/dom-errors.js';
import { opfsDirectory, opfsRoot } from './opfs/opfs-types.js';
import { tryWebLock } from './opfs/web-lock.js';
import { assertSupported } from './support.js';
import { POOL_ROOT, poolName } from './pool-directory.js';

/**
 * Deletes the database `name` (all its files); resolves also when there was none. Rejects with
 * `LOCKED` while a tab or worker has it open: close it first.
 *
 * @example
 * ```ts
 * import { deleteBrowserDB, openBrowserDB } from '@velocity/browser';
 * const db = await openBrowserDB('scratch');
 * await db.close();
 * await deleteBrowserDB('scratch'); // the next open starts empty
 * ```
 */
export async function deleteBrowserDB(name: string): Promise<void> {
  assertSupported('page');
  const lock = await tryWebLock(`velocity:${POOL_ROOT}/${poolName(name)}`);
  if (lock === undefined) throw new VelocityError('LOCKED', `the database ${name} is open: close it first`);
  try {
    const root = await opfsDirectory(await opfsRoot(), POOL_ROOT);
    await root.removeEntry(poolName(name), { recursive: true });
  } catch (error) {
    if (domErrorName(error) !== 'NotFoundError') throw error;
  } finally {
    lock.release();
  }
}
