import { ByteWriter, encodeFixed32 } from '@velocity/core';

/**
 * Builds one block: entries with key prefix compression, then the restart array.
 *
 * ```
 * entry    = shared: varint32 | unshared: varint32 | value length: varint32
 *          | key bytes after the shared prefix (unshared) | value
 * block    = entry* | restart offset: fixed32 * n | n: fixed32
 * ```
 * Every `restartInterval`-th entry is a restart point: it stores its whole key (shared = 0) and its
 * offset goes into the restart array, so a reader can binary-search the restarts. The caller adds keys
 * in strictly increasing order (the table builder checks this).
 */
export class BlockBuilder {
  private readonly buffer = new ByteWriter(4096);
  private readonly restarts: number[] = [0];
  private counter = 0;
  private entryCount = 0;
  private lastKey = new Uint8Array(64);
  private lastKeyLength = 0;

  constructor(private readonly restartInterval: number) {}

  /** Number of entries added since the last reset. */
  get entries(): number {
    return this.entryCount;
  }

  /** True when no entry was added since the last reset. */
  get empty(): boolean {
    return this.entryCount === 0;
  }

  /** Size of the block if it were finished now. */
  get estimatedSize(): number {
    return this.buffer.length + this.restarts.length * 4 + 4;
  }

  /** Appends an entry. REQUIRES: `key` sorts after every key added since the last reset. */
  add(key: Uint8Array, value: Uint8Array): void {
    let shared = 0;
    if (this.counter < this.restartInterval) {
      const limit = Math.min(this.lastKeyLength, key.length);
      const last = this.lastKey;
      while (shared < limit && last[shared] === key[shared]) shared++;
    } else {
      this.restarts.push(this.buffer.length);
      this.counter = 0;
    }
    const unshared = key.length - shared;
    this.buffer.putVarint32(shared).putVarint32(unshared).putVarint32(value.length);
    this.buffer.putBytes(shared === 0 ? key : key.subarray(shared));
    this.buffer.putBytes(value);
    this.rememberKey(key);
    this.counter++;
    this.entryCount++;
  }

  private rememberKey(key: Uint8Array): void {
    if (key.length > this.lastKey.length) {
      this.lastKey = new Uint8Array(Math.max(key.length, this.lastKey.length * 2));
    }
    this.lastKey.set(key, 0);
    this.lastKeyLength = key.length;
  }

  /** Appends the restart array and returns the block contents (a copy). Call `reset()` to reuse. */
  finish(): Uint8Array {
    const bodyLength = this.buffer.length;
    const out = new Uint8Array(bodyLength + this.restarts.length * 4 + 4);
    out.set(this.buffer.view(), 0);
    let pos = bodyLength;
    for (const restart of this.restarts) {
      encodeFixed32(out, pos, restart);
      pos += 4;
    }
    encodeFixed32(out, pos, this.restarts.length);
    return out;
  }

  /** Forgets all entries. */
  reset(): void {
    this.buffer.reset();
    this.restarts.length = 1;
    this.restarts[0] = 0;
    this.counter = 0;
    this.entryCount = 0;
    this.lastKeyLength = 0;
  }
}
