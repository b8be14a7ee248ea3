/**
 * Feature detection: what a browser must offer to run a persistent Velocity database.
 * @module
 */
import { VelocityError } from '@velocity/core';

/** What is missing for a persistent database here, or undefined when everything is present. */
export function missingFeature(scope: 'page' | 'worker'): string | undefined {
  const g = globalThis as {
    Worker?: unknown;
    navigator?: { storage?: { getDirectory?: unknown }; locks?: unknown };
    FileSystemFileHandle?: { prototype: object };
  };
  if (scope === 'page' && typeof g.Worker !== 'function') return 'Web Workers';
  if (typeof g.navigator?.storage?.getDirectory !== 'function') {
    return 'the Origin Private File System (navigator.storage.getDirectory; it needs a secure context)';
  }
  if (typeof g.navigator?.locks !== 'object') return 'the Web Locks API (navigator.locks)';
  if (scope === 'worker' && !('createSyncAccessHandle' in (g.FileSystemFileHandle?.prototype ?? {}))) {
    return 'OPFS sync access handles (FileSystemFileHandle.createSyncAccessHandle)';
  }
  return undefined;
}

/** Throws `NOT_SUPPORTED`, naming the missing feature, when the browser lacks one. */
export function assertSupported(scope: 'page' | 'worker'): void {
  const missing = missingFeature(scope);
  if (missing !== undefined) {
    throw new VelocityError('NOT_SUPPORTED', `this browser lacks ${missing}, which @velocity/browser needs`);
  }
}
