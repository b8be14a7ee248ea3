import { AbstractIterator } from 'abstract-level';
import type { DB } from '@velocity/db';
import { fromStoredBytes, toStoredBytes } from './encoding.js';
import { toLevelError } from './errors.js';
import type { VelocityLevelSnapshot } from './snapshot.js';

/** The options abstract-level passes to `_iterator` (already encoded). */
export interface PrivateIteratorOptions {
  gt?: Uint8Array | string;
  gte?: Uint8Array | string;
  lt?: Uint8Array | string;
  lte?: Uint8Array | string;
  reverse: boolean;
  limit: number;
  keys: boolean;
  values: boolean;
  keyEncoding: string;
  valueEncoding: string;
  snapshot?: VelocityLevelSnapshot;
}

type Entry = [Uint8Array | string | undefined, Uint8Array | string | undefined];
type VelocityIterator = ReturnType<DB['iterator']>;

/**
 * An abstract-level iterator over a Velocity iterator. Velocity's iterators are synchronous underneath
 * (the data is in memory or read with positional reads), so `_next`, `_nextv` and `_all` resolve at
 * once; the snapshot is taken when the iterator is created, as abstract-level requires.
 */
export class VelocityLevelIterator extends AbstractIterator<unknown, unknown, unknown> {
  private readonly inner: VelocityIterator | undefined;
  /** Why the iterator could not be created (a closed snapshot); reported by the first read. */
  private readonly openError: unknown;
  private readonly options: PrivateIteratorOptions;

  /** @internal Use `db.iterator()`, `db.keys()` or `db.values()`. */
  constructor(levelDb: unknown, db: DB, options: PrivateIteratorOptions) {
    // biome-ignore lint/suspicious/noExplicitAny: abstract-level's constructor types are generic.
    super(levelDb as any, options as any);
    this.options = options;
    let inner: VelocityIterator | undefined;
    let openError: unknown;
    try {
      inner = db.iterator(rangeOptions(options));
    } catch (error) {
      openError = error;
    }
    this.inner = inner;
    this.openError = openError;
  }

  private convert(key: Uint8Array, value: Uint8Array): Entry {
    return [
      this.options.keys ? fromStoredBytes(key, this.options.keyEncoding) : undefined,
      this.options.values ? fromStoredBytes(value, this.options.valueEncoding) : undefined,
    ];
  }

  private take(max: number): Entry[] {
    const out: Entry[] = [];
    if (this.inner === undefined) throw toLevelError(this.openError);
    try {
      for (const [key, value] of this.inner.nextv(max)) out.push(this.convert(key, value));
    } catch (error) {
      throw toLevelError(error);
    }
    return out;
  }

  /** The next entry (abstract-level's hook behind `next()`). @internal */
  async _next(): Promise<Entry | undefined> {
    return this.take(1)[0];
  }

  /** Up to `size` entries (abstract-level's hook behind `nextv()`). @internal */
  async _nextv(size: number): Promise<Entry[]> {
    return this.take(size);
  }

  /** All remaining entries (abstract-level's hook behind `all()`). @internal */
  async _all(): Promise<Entry[]> {
    return this.take(Number.POSITIVE_INFINITY);
  }

  /** Moves the iterator to `target` (abstract-level's hook behind `seek()`). @internal */
  _seek(target: Uint8Array | string): void {
    this.inner?.seek(toStoredBytes(target));
  }

  /** Closes the Velocity iterator (abstract-level's hook behind `close()`). @internal */
  async _close(): Promise<void> {
    this.inner?.close(); // safe after the database closed it already
  }
}

/**
 * Velocity iterator options from abstract-level's: where abstract-level is given both `gte` and `gt`
 * (or `lte` and `lt`), the inclusive bound wins, as its compliance suite requires.
 */
export function rangeOptions(options: {
  gt?: Uint8Array | string;
  gte?: Uint8Array | string;
  lt?: Uint8Array | string;
  lte?: Uint8Array | string;
  reverse: boolean;
  limit: number;
  snapshot?: VelocityLevelSnapshot;
}) {
  const bound = (b: Uint8Array | string | undefined) => (b === undefined ? undefined : toStoredBytes(b));
  return {
    gte: bound(options.gte),
    gt: options.gte === undefined ? bound(options.gt) : undefined,
    lte: bound(options.lte),
    lt: options.lte === undefined ? bound(options.lt) : undefined,
    reverse: options.reverse,
    limit: options.limit < 0 ? undefined : options.limit,
    snapshot: options.snapshot?.forRead(),
  };
}
