/**
 * A chained batch of a {@link BrowserDB}: gathers puts and deletes on the page, written atomically
 * by one `write`.
 * @module
 */
import type { Key, Value, WriteOptions } from '@velocity/db';
import type { WireOperation } from '../protocol.js';

/** Puts and deletes applied together, or not at all. */
export class BrowserBatch {
  private ops: WireOperation[] = [];

  /** @internal Use `db.batch()`. */
  constructor(private readonly commit: (ops: WireOperation[], options?: WriteOptions) => Promise<void>) {}

  /** Number of operations gathered. */
  get length(): number {
    return this.ops.length;
  }

  /** Adds a put. */
  put(key: Key, value: Value): this {
    this.ops.push({ type: 'put', key, value });
    return this;
  }

  /** Adds a delete. */
  del(key: Key): this {
    this.ops.push({ type: 'del', key });
    return this;
  }

  /** Forgets the operations gathered so far. */
  clear(): this {
    this.ops = [];
    return this;
  }

  /** Writes the operations atomically, then empties the batch. */
  write(options?: WriteOptions): Promise<void> {
    const ops = this.ops;
    this.ops = [];
    return this.commit(ops, options);
  }
}
