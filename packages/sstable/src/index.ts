/**
 * Velocity's immutable sorted table files: data blocks with prefix compression and restart points, an
 * index of shortened separators, a filter block, a properties block, a metaindex and a checksummed
 * footer; pluggable compression; every block verified when read.
 * @packageDocumentation
 */
export { lz4Codec } from './codecs/lz4.js';
export { noCompression } from './codecs/none.js';
export { builtinCodecs } from './codecs/registry.js';
export { BASE_TABLE_FORMAT_VERSION, TABLE_FORMAT_VERSION, TABLE_MAGIC } from './format.js';
export { BlockPool } from './block-pool.js';
export { TableBuilder } from './table-builder.js';
export type { TableHit } from './table-hit.js';
export { TableReader } from './table-reader.js';
export type { Codec, TableBuilderOptions, TableEntry, TableProperties, TableReaderOptions } from './types.js';
