/**
 * The page's end of the channel to the database worker: every request made in one tick of the page
 * goes to the worker in one `postMessage`, and each reply settles its caller's promise.
 * @module
 */
import { VelocityError } from '@velocity/core';
import type { Key, Value } from '@velocity/db';
import type { FromWorker, Reply, Request, RequestBody, ToWorker } from '../protocol.js';
import { fromWireError } from '../wire-error.js';
import type { SharedCallsClient } from './shared-calls-client.js';

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

  /**
   * Takes over the worker's `onmessage` (after it reported `opened`). With `shared`, a lone `get`
   * goes through shared memory instead of a message.
   */
  constructor(
    private readonly worker: WorkerPort,
    private readonly shared?: SharedCallsClient,
  ) {
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

  /** True when a call may go through shared memory: nothing else is outstanding. */
  private canShare(): boolean {
    return (
      this.shared !== undefined &&
      this.failure === undefined &&
      this.outbox.length === 0 &&
      this.pending.size === 0
    );
  }

  /**
   * The value of `key`, at the latest state. Through shared memory when there is nothing
   * else outstanding, so the read sees every write acknowledged before it and none made after it
   * (the worker answers a shared request before the calls of any message posted after it);
   * otherwise with the next batch.
   */
  get(key: Key): Promise<Uint8Array | undefined> {
    if (!this.canShare()) return this.call({ op: 'get', key });
    const id = this.nextId++;
    if (!this.shared!.send(id, key)) {
      this.nextId--;
      return this.call({ op: 'get', key });
    }
    return this.sharedAnswer<Uint8Array | undefined>(id);
  }

  /**
   * Stores `value` under `key` (removes `key` when `value` is undefined): through shared memory when
   * nothing else is outstanding (the worker hands it to the engine before it runs the calls of any
   * message posted after it, and those wait for it to commit), otherwise with the next batch.
   */
  write(key: Key, value: Value | undefined, sync: boolean | undefined): Promise<void> {
    const body: RequestBody =
      value === undefined ? { op: 'del', key, sync } : { op: 'put', key, value, sync };
    if (!this.canShare()) return this.call(body);
    const id = this.nextId++;
    if (!this.shared!.sendWrite(id, key, value, sync)) {
      this.nextId--;
      return this.call(body);
    }
    return this.sharedAnswer<void>(id);
  }

  /** Settles with the shared answer to request `id` (or with the ordinary reply that replaces it). */
  private sharedAnswer<T>(id: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.shared!.answer(id).then((answer) => {
        if (answer === 'by-message') return; // settled by the worker's ordinary reply
        if (this.pending.delete(id)) resolve(answer.value as T);
      });
    });
  }

  private send(): void {
    const requests = this.outbox;
    this.outbox = [];
    if (requests.length === 0) return;
    this.worker.postMessage({ type: 'requests', requests });
    this.shared?.posted();
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
