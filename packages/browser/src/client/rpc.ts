/**
 * The page's end of the channel to the database worker: every request made in one tick of the page
 * goes to the worker in one `postMessage`, and each reply settles its caller's promise.
 * @module
 */
import { VelocityError } from '@velocity/core';
import type { FromWorker, Reply, Request, RequestBody, ToWorker } from '../protocol.js';
import { fromWireError } from '../wire-error.js';

/** What the channel needs of a `Worker`. */
export interface WorkerPort {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Batched request/reply over a worker. */
export class RpcChannel {
  private nextId = 1;
  private nextHandle = 1;
  private outbox: Request[] = [];
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;
  /** Receives the worker's events. */
  onEvent: (name: string, event: unknown) => void = () => {};

  /** Takes over the worker's `onmessage` (after it reported `opened`). */
  constructor(private readonly worker: WorkerPort) {
    worker.onmessage = ({ data }) => {
      if (data.type === 'replies') this.settle(data.replies);
      else if (data.type === 'event') this.onEvent(data.name, data.event);
    };
    worker.onerror = (event) =>
      this.fail(new VelocityError('IO_ERROR', `database worker failed: ${event.message}`));
  }

  /** A fresh id for an iterator or snapshot, chosen on the page so its open need not be awaited. */
  newHandleId(): number {
    return this.nextHandle++;
  }

  /** Sends `body` with the next batch; resolves with the worker's answer. */
  call<T>(body: RequestBody): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    if (this.outbox.length === 0) queueMicrotask(() => this.send());
    this.outbox.push({ ...body, id } as Request);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private send(): void {
    const requests = this.outbox;
    this.outbox = [];
    if (requests.length > 0) this.worker.postMessage({ type: 'requests', requests });
  }

  private settle(replies: Reply[]): void {
    for (const reply of replies) {
      const waiter = this.pending.get(reply.id);
      if (waiter === undefined) continue;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(fromWireError(reply.error));
    }
  }

  /** Fails every pending and later call with `error` and stops the worker. */
  fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(this.failure);
    this.pending.clear();
    this.worker.terminate();
  }
}
