/**
 * Velocity in the browser: a persistent database on the Origin Private File System.
 * `openBrowserDB(name)` runs the engine in a dedicated worker and returns an asynchronous handle on the
 * page; `OpfsFileSystem` is the engine's `FileSystem` over OPFS sync access handles, for your own
 * worker.
 * @packageDocumentation
 */
export { openBrowserDB, type BrowserDBOptions } from './open-browser-db.js';
export { deleteBrowserDB } from './delete-browser-db.js';
export { BrowserDB } from './client/browser-db.js';
export { BrowserBatch } from './client/browser-batch.js';
export { BrowserIterator, type BrowserIteratorOptions } from './client/browser-iterator.js';
export { BrowserSnapshot } from './client/browser-snapshot.js';
export { missingFeature } from './support.js';
export type { WireIteratorOptions, WireOpenOptions } from './protocol.js';
export { OpfsFileSystem, type OpfsOptions } from './opfs/opfs-file-system.js';
export {
  HEADER_SIZE,
  MAX_PATH_BYTES,
  type SlotHeader,
  type SlotKind,
  decodeSlotHeader,
  encodeSlotHeader,
} from './opfs/slot-header.js';
