import type { Codec } from '../types.js';

/** No compression (codec id 0): blocks are stored as they are. */
export const noCompression: Codec = {
  id: 0,
  name: 'none',
  compress: (input) => input,
  decompress: (input) => input,
};
