/**
 * Loading the Node-only {@link module:helper-threads} module when `helperThreadPriority` asks for it,
 * so that bundlers never pull `node:os` into a browser build of `@velocity/db`.
 * @module
 */
import type { CompactionThreadPriority } from './compaction/worker-protocol.js';
import { isNode } from './runtime.js';

/** The module specifier is a variable on purpose: bundlers leave a non-literal dynamic import alone. */
const HELPER_THREADS_MODULE = './helper-threads.js';

/** Gives back a hold on the helpers' lowered priority (see `DBOptions.helperThreadPriority`). */
export type ReleaseHelperPriority = () => void;

const nothingToRelease: ReleaseHelperPriority = () => {};

/**
 * Lowers V8's helper threads' priority for one database handle when `priority` is `'low'` on Node;
 * returns the function to call at close. Never fails: without the module, nothing changes.
 */
export async function holdHelperPriority(priority: CompactionThreadPriority): Promise<ReleaseHelperPriority> {
  if (priority !== 'low' || !isNode()) return nothingToRelease;
  try {
    const specifier = HELPER_THREADS_MODULE;
    const mod = (await import(/* @vite-ignore */ specifier)) as {
      holdLowHelperPriority(): ReleaseHelperPriority;
    };
    return mod.holdLowHelperPriority();
  } catch {
    return nothingToRelease;
  }
}
