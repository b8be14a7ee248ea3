/**
 * Velocity's write-ahead log: records framed into 32 KiB blocks with checksums, a writer that appends
 * and syncs, and a reader that tolerates a torn tail and reports damage by recovery mode.
 * @packageDocumentation
 */
export { BLOCK_SIZE, FragmentType, HEADER_SIZE } from './format.js';
export { LogReader, type LogReaderOptions } from './log-reader.js';
export { LogWriter } from './log-writer.js';
export type { DroppedBytes, RecoveryMode } from './types.js';
