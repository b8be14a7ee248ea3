// The benchmark's page: the same four workloads on Velocity (openBrowserDB, OPFS), raw IndexedDB and
// browser-level (IndexedDB behind abstract-level). 16-byte keys in random order, 100-byte random values.
// IndexedDB is used as a user would write it: one transaction per awaited operation (readonly for a
// get, readwrite for a put), one readwrite transaction per batch of 1000, one cursor for the scan.
import { BrowserLevel } from 'browser-level';
import { openBrowserDB } from '../src/index.js';

/** Operations per second of each workload. */
export interface Rates {
  awaitedPuts: number;
  batchedPuts: number;
  awaitedGets: number;
  /** A second pass of awaited gets, over other keys, once the fill's background work had more time. */
  awaitedGetsAgain: number;
  scan: number;
}

/** What one engine must offer the workloads. */
interface Target {
  put(k: Uint8Array, v: Uint8Array): Promise<void>;
  batch(entries: [Uint8Array, Uint8Array][]): Promise<void>;
  get(k: Uint8Array): Promise<Uint8Array | undefined>;
  scan(): Promise<number>;
  close(): Promise<void>;
}

async function count(entries: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of entries) n++;
  return n;
}

function keys(n: number): Uint8Array[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.map((i) => new TextEncoder().encode(String(i).padStart(16, '0')));
}

function value(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(100));
}

async function rate(count: number, body: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await body();
  return Math.round(count / ((performance.now() - start) / 1000));
}

async function measure(open: (name: string) => Promise<Target>, n: number, awaited: number): Promise<Rates> {
  const ks = keys(n);
  const fill = await open('fill');
  const batchedPuts = await rate(n, async () => {
    for (let i = 0; i < n; i += 1000) await fill.batch(ks.slice(i, i + 1000).map((k) => [k, value()]));
  });
  const gets = (from: number) => async () => {
    for (let i = from; i < from + awaited; i++)
      if ((await fill.get(ks[(i * 7919) % n])) === undefined) throw new Error('miss');
  };
  const awaitedGets = await rate(awaited, gets(0));
  const awaitedGetsAgain = await rate(awaited, gets(awaited));
  let scanned = 0;
  const scan = await rate(n, async () => {
    scanned = await fill.scan();
  });
  if (scanned !== n) throw new Error(`scan saw ${scanned} of ${n}`);
  await fill.close();
  const fresh = await open('awaited');
  const awaitedPuts = await rate(awaited, async () => {
    for (let i = 0; i < awaited; i++) await fresh.put(ks[i], value());
  });
  await fresh.close();
  return { awaitedPuts, batchedPuts, awaitedGets, awaitedGetsAgain, scan };
}

async function velocity(name: string, sharedMemory: boolean, mergeWorker?: boolean): Promise<Target> {
  const db = await openBrowserDB(`bench-${name}-${Date.now()}`, { sharedMemory, mergeWorker });
  return {
    put: (k, v) => db.put(k, v),
    batch: (entries) => db.write(entries.map(([key, value]) => ({ type: 'put', key, value }))),
    get: (k) => db.get(k),
    scan: () => count(db.iterator()),
    close: () => db.close(),
  };
}

function done(request: IDBRequest | IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    if (request instanceof IDBTransaction) {
      request.oncomplete = () => resolve();
      request.onerror = () => reject(request.error);
    } else {
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    }
  });
}

async function indexedDB(name: string): Promise<Target> {
  const open = globalThis.indexedDB.open(`idb-${name}-${Date.now()}`, 1);
  open.onupgradeneeded = () => open.result.createObjectStore('kv');
  await done(open);
  const db = open.result;
  const store = (mode: IDBTransactionMode) => {
    const tx = db.transaction('kv', mode);
    return { tx, kv: tx.objectStore('kv') };
  };
  return {
    put: async (k, v) => {
      const { tx, kv } = store('readwrite');
      kv.put(v, k as Uint8Array<ArrayBuffer>);
      await done(tx);
    },
    batch: async (entries) => {
      const { tx, kv } = store('readwrite');
      for (const [k, v] of entries) kv.put(v, k as Uint8Array<ArrayBuffer>);
      await done(tx);
    },
    get: async (k) => {
      const request = store('readonly').kv.get(k as Uint8Array<ArrayBuffer>);
      await done(request);
      return request.result;
    },
    scan: () =>
      new Promise((resolve, reject) => {
        let n = 0;
        const cursor = store('readonly').kv.openCursor();
        cursor.onsuccess = () => {
          if (cursor.result === null) resolve(n);
          else {
            n++;
            cursor.result.continue();
          }
        };
        cursor.onerror = () => reject(cursor.error);
      }),
    close: async () => db.close(),
  };
}

async function browserLevel(name: string): Promise<Target> {
  const db = new BrowserLevel<Uint8Array, Uint8Array>(`level-${name}-${Date.now()}`, {
    keyEncoding: 'view',
    valueEncoding: 'view',
  });
  await db.open();
  return {
    put: (k, v) => db.put(k, v),
    batch: (entries) => db.batch(entries.map(([key, value]) => ({ type: 'put', key, value }))),
    get: (k) => db.get(k),
    scan: () => count(db.iterator()),
    close: () => db.close(),
  };
}

/**
 * Runs every engine once, each on `n` entries (`awaited` operations for the awaited workloads):
 * Velocity twice when the page is cross-origin isolated, with gets through shared memory and with
 * every call by message. `mergeWorker` as in openBrowserDB (for A/B runs).
 */
export async function runBench(
  n: number,
  awaited: number,
  mergeWorker?: boolean,
): Promise<Record<string, Rates>> {
  const shared = globalThis.crossOriginIsolated;
  const open = (name: string, sharedMemory: boolean) => velocity(name, sharedMemory, mergeWorker);
  return {
    velocity: await measure((name) => open(name, shared), n, awaited),
    ...(shared ? { 'velocity-messages': await measure((name) => open(name, false), n, awaited) } : {}),
    indexeddb: await measure(indexedDB, n, awaited),
    'browser-level': await measure(browserLevel, n, awaited),
  };
}

Object.assign(globalThis, { runBench, ready: true });
