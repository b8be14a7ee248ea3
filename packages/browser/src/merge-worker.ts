/**
 * The merge worker's script: the database worker starts it as a second module worker
 * (`new Worker(new URL('./merge-worker.js', import.meta.url), { type: 'module' })`, beside
 * `worker.js`) to run compaction merges and memtable flush builds off its own thread. It has no exports.
 * @module
 */
import { type MergeWorkerScope, serveMerges } from './merge/serve-merges.js';

serveMerges(globalThis as unknown as MergeWorkerScope);
