/**
 * A snapshot of a {@link BrowserDB}: reads through it see the database as it was when it was taken.
 * @module
 */
import type { Key } from '@velocity/db';
import { type BrowserIteratorOptions, openIterator } from './browser-iterator.js';
import type { BrowserIterator } from './browser-iterator.js';
import type { RpcChannel } from './rpc.js';

/** A consistent read-only view; release it when done, so compaction may drop what it pins. */
export class BrowserSnapshot {
  private released = false;

  /** @internal Use `db.snapshot()`. */
  constructor(
    private readonly rpc: RpcChannel,
    private readonly id: number,
  ) {}

  /** The value of `key` at the snapshot. */
  get(key: Key): Promise<Uint8Array | undefined> {
    return this.rpc.call({ op: 'get', key, snapshot: this.id });
  }

  /** The values of `keys` at the snapshot. */
  getMany(keys: readonly Key[]): Promise<(Uint8Array | undefined)[]> {
    return this.rpc.call({ op: 'getMany', keys: [...keys], snapshot: this.id });
  }

  /** An iterator over the database at the snapshot. */
  iterator(options: BrowserIteratorOptions = {}): BrowserIterator {
    return openIterator(this.rpc, options, this.id);
  }

  /** Releases the snapshot. Safe to call twice. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.rpc.call({ op: 'snapshotRelease', snapshot: this.id });
  }
}
