/**
 * Chunked byte storage for memtable keys and values: entries are copied into large shared
 * `Uint8Array` chunks, so a memtable of a million entries holds a few hundred objects instead of two
 * million small arrays (less memory per entry, nothing for the garbage collector to trace).
 * @module
 */

/** Size of the first chunk; each new chunk doubles, up to {@link MAX_CHUNK_SIZE}. */
const FIRST_CHUNK_SIZE = 4096;
/** Largest shared chunk. */
export const MAX_CHUNK_SIZE = 1 << 20;
/** Entries larger than this get a chunk of their own, so they never waste the tail of a shared one. */
const DEDICATED_THRESHOLD = MAX_CHUNK_SIZE >>> 2;

/**
 * An append-only arena. `allocate(size)` reserves `size` bytes and reports where through
 * {@link Arena.chunk} / {@link Arena.offset} (two fields rather than a result object: no allocation on
 * the insert path). Bytes never move once allocated.
 */
export class Arena {
  /** All chunks, in allocation order; a location is (index into this array, offset). */
  readonly chunks: Uint8Array[] = [];
  /** Chunk index of the last allocation. */
  chunk = -1;
  /** Offset inside that chunk of the last allocation. */
  offset = 0;
  /** Total bytes of all chunks (capacity, including unused tails). */
  allocatedBytes = 0;

  private current: Uint8Array | undefined;
  private currentIndex = -1;
  private used = 0;
  private nextSize = FIRST_CHUNK_SIZE;

  /** Reserves `size` bytes; afterwards `chunks[chunk]` holds them at `offset`. */
  allocate(size: number): void {
    const current = this.current;
    if (current !== undefined && this.used + size <= current.length) {
      this.chunk = this.currentIndex;
      this.offset = this.used;
      this.used += size;
      return;
    }
    if (size > DEDICATED_THRESHOLD) {
      this.chunk = this.addChunk(size);
      this.offset = 0;
      return;
    }
    let chunkSize = this.nextSize;
    while (chunkSize < size) chunkSize *= 2;
    if (this.nextSize < MAX_CHUNK_SIZE) this.nextSize *= 2;
    const index = this.addChunk(chunkSize);
    this.current = this.chunks[index];
    this.currentIndex = index;
    this.used = size;
    this.chunk = index;
    this.offset = 0;
  }

  private addChunk(size: number): number {
    this.chunks.push(new Uint8Array(size));
    this.allocatedBytes += size;
    return this.chunks.length - 1;
  }
}
