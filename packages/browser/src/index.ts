/**
 * Velocity in the browser: a persistent database on the Origin Private File System. `OpfsFileSystem`
 * is the engine's `FileSystem` over OPFS sync access handles, for a dedicated worker.
 * @packageDocumentation
 */
export { OpfsFileSystem, type OpfsOptions } from './opfs/opfs-file-system.js';
export {
  HEADER_SIZE,
  MAX_PATH_BYTES,
  type SlotHeader,
  type SlotKind,
  decodeSlotHeader,
  encodeSlotHeader,
} from './opfs/slot-header.js';
