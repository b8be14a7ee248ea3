/**
 * The worker's side of a {@link BrowserDB}: runs batches of requests against the open database, in
 * order, and answers each.
 * @module
 */
import { VelocityError } from '@velocity/core';
import type { DB, DBIterator, Entry, Snapshot } from '@velocity/db';
import { type PackedEntries, packEntries } from '../entry-chunk.js';
import type { Reply, Request } from '../protocol.js';
import { toWireError } from '../wire-error.js';

/** An iterator chunk stops at this many bytes of keys and values (or at the requested count). */
const CHUNK_BYTES = 256 * 1024;

function isWrite(request: Request): boolean {
  return request.op === 'put' || request.op === 'del' || request.op === 'write';
}

/**
 * `value` in a buffer of its own. The engine cuts small values from shared 16 KiB slabs, and
 * `postMessage` clones a typed array's whole buffer: sending the slab cost ~30 µs per get and kept
 * 16 KiB alive on the page for each 100-byte value.
 */
export function ownBuffer(value: Uint8Array | undefined): Uint8Array | undefined {
  return value === undefined || value.byteLength === value.buffer.byteLength ? value : value.slice();
}

/** Serves one open database. */
export class DbServer {
  private readonly snapshots = new Map<number, Snapshot>();
  private readonly iterators = new Map<number, DBIterator>();
  private queue: Promise<void> = Promise.resolve();
  /** True once a `close` request closed the database. */
  closed = false;

  /** Serves `db`; `onClose` runs after a `close` request closed it. */
  constructor(
    private readonly db: DB,
    private readonly onClose: () => void,
  ) {}

  /**
   * Runs a batch after the previous ones; resolves with one reply per request, in order. Its reads
   * wait for `pendingWrite` too (a write taken from shared memory before the batch arrived).
   */
  handle(requests: Request[], pendingWrite?: Promise<unknown>): Promise<Reply[]> {
    const done = this.queue.then(() => this.run(requests, pendingWrite));
    this.queue = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  private async run(requests: Request[], pendingWrite: Promise<unknown> | undefined): Promise<Reply[]> {
    const replies: Promise<Reply>[] = [];
    let writes: Promise<unknown>[] = pendingWrite === undefined ? [] : [pendingWrite];
    for (const request of requests) {
      if (isWrite(request)) {
        // Writes issued in one tick become one group commit in the engine.
        const reply = this.answer(request);
        replies.push(reply);
        writes.push(reply);
        continue;
      }
      if (writes.length > 0) await Promise.all(writes); // reads see the writes issued before them
      writes = [];
      replies.push(this.answer(request));
      if (request.op === 'close') await replies[replies.length - 1];
    }
    return Promise.all(replies);
  }

  private async answer(request: Request): Promise<Reply> {
    try {
      return { id: request.id, ok: true, value: await this.execute(request) };
    } catch (error) {
      return { id: request.id, ok: false, error: toWireError(error) };
    }
  }

  private snapshot(id: number | undefined): { snapshot?: Snapshot } {
    if (id === undefined) return {};
    const snapshot = this.snapshots.get(id);
    if (snapshot === undefined) throw new VelocityError('CLOSED', 'snapshot is released');
    return { snapshot };
  }

  private iterator(id: number): DBIterator {
    const it = this.iterators.get(id);
    if (it === undefined) throw new VelocityError('CLOSED', 'iterator is closed');
    return it;
  }

  private execute(r: Request): unknown {
    const db = this.db;
    switch (r.op) {
      case 'put':
        return db.put(r.key, r.value, { sync: r.sync });
      case 'del':
        return db.delete(r.key, { sync: r.sync });
      case 'write':
        return db.write(r.ops, { sync: r.sync });
      case 'get':
        return ownBuffer(db.getSync(r.key, this.snapshot(r.snapshot)));
      case 'getMany':
        return db.getManySync(r.keys, this.snapshot(r.snapshot)).map(ownBuffer);
      case 'iterOpen':
        this.iterators.set(r.iterator, db.iterator({ ...r.options, ...this.snapshot(r.snapshot) }));
        return undefined;
      case 'iterNext':
        return this.nextChunk(r.iterator, r.size);
      case 'iterClose':
        this.iterators.get(r.iterator)?.close();
        this.iterators.delete(r.iterator);
        return undefined;
      case 'snapshot':
        this.snapshots.set(r.snapshot, db.snapshot());
        return undefined;
      case 'snapshotRelease':
        this.snapshots.get(r.snapshot)?.release();
        this.snapshots.delete(r.snapshot);
        return undefined;
      case 'flush':
        return db.flush();
      case 'compactRange':
        return db.compactRange({ start: r.start, end: r.end });
      case 'stats':
        return db.stats();
      case 'close':
        return this.close();
    }
  }

  /** Up to `size` entries (fewer past {@link CHUNK_BYTES}); `done` once the iterator is exhausted. */
  private nextChunk(id: number, size: number): { packed: PackedEntries; done: boolean } {
    const it = this.iterator(id);
    const entries: Entry[] = [];
    let bytes = 0;
    while (entries.length < size && bytes < CHUNK_BYTES) {
      const entry = it.nextSync();
      if (entry === undefined) {
        it.close();
        this.iterators.delete(id);
        return { packed: packEntries(entries), done: true };
      }
      entries.push(entry);
      bytes += entry[0].length + entry[1].length;
    }
    return { packed: packEntries(entries), done: false };
  }

  private async close(): Promise<void> {
    for (const it of this.iterators.values()) it.close();
    this.iterators.clear();
    await this.db.close();
    this.closed = true;
    this.onClose();
  }
}
