// Types for the parts of the untyped `lz4js` package that Velocity uses.
declare module 'lz4js' {
  /** Compresses `src[sIndex, sIndex + sLength)` into `dst` as one LZ4 block; 0 when nothing matched. */
  export function compressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    hashTable: Uint32Array,
  ): number;
}
