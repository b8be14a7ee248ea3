/**
 * Starting the package's own workers: the database worker, and the merge worker it starts in turn.
 * The `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })` form is the one
 * bundlers (Vite, webpack 5, Parcel) recognise and bundle by themselves, in a worker too; this file
 * sits beside `worker.ts` and `merge-worker.ts` so the relative URLs are right in `dist/`.
 * @module
 */

/** Starts `worker.js` (beside this module) as a module worker. */
export function startDatabaseWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

/** Starts `merge-worker.js` (beside this module) as a module worker, from the database worker. */
export function startMergeWorker(): Worker {
  return new Worker(new URL('./merge-worker.js', import.meta.url), { type: 'module' });
}
