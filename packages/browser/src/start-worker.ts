/**
 * Starting the package's own database worker. The `new Worker(new URL('./worker.js',
 * import.meta.url), { type: 'module' })` form is the one bundlers (Vite, webpack 5, Parcel) recognise
 * and bundle by themselves; this file sits beside `worker.ts` so the relative URL is right in `dist/`.
 * @module
 */

/** Starts `worker.js` (beside this module) as a module worker. */
export function startDatabaseWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}
