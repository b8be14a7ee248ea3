/**
 * Loading the Node file system only when it is needed, so that bundlers never pull `node:fs` into a
 * browser build of `@velocity/db`.
 * @module
 */
import { type FileSystem, VelocityError } from '@velocity/core';
import { isNode } from './runtime.js';

/** The module specifier is a variable on purpose: bundlers leave a non-literal dynamic import alone. */
const NODE_FS_MODULE = '@velocity/core/node';

/**
 * The default file system: `NodeFileSystem` on Node. Throws `NOT_SUPPORTED` elsewhere (pass
 * `options.fs`, for example a `MemoryFileSystem`, in a browser).
 */
export async function loadDefaultFileSystem(): Promise<FileSystem> {
  if (!isNode()) {
    throw new VelocityError(
      'NOT_SUPPORTED',
      'no default file system outside Node.js: pass options.fs (for example a MemoryFileSystem)',
    );
  }
  let mod: { NodeFileSystem?: new () => FileSystem };
  try {
    const specifier = NODE_FS_MODULE;
    mod = await import(/* @vite-ignore */ specifier);
  } catch (error) {
    throw new VelocityError('NOT_SUPPORTED', `cannot load ${NODE_FS_MODULE}: pass options.fs`, {
      cause: error,
    });
  }
  if (typeof mod.NodeFileSystem !== 'function') {
    throw new VelocityError('NOT_SUPPORTED', `${NODE_FS_MODULE} has no NodeFileSystem: pass options.fs`);
  }
  return new mod.NodeFileSystem();
}
