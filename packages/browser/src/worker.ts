/**
 * The database worker's script: `openBrowserDB` starts it as a module worker
 * (`new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`, a form that Vite,
 * webpack 5, esbuild-based tools and Parcel bundle by themselves). It has no exports.
 * @module
 */
import { type WorkerScope, serve } from './worker/serve.js';

serve(globalThis as unknown as WorkerScope);
