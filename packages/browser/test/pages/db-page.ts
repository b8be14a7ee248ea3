// Scenarios the browser tests drive through openBrowserDB, run inside the page. Each returns plain
// data for the Node side to check.
import { isVelocityError } from '@velocity/core';
import { type BrowserDB, deleteBrowserDB, openBrowserDB } from '../../src/index.js';

const text = new TextDecoder();
const key = (i: number) => `key${String(i).padStart(6, '0')}`;
const value = (i: number) => `value-${i}-${'x'.repeat(i % 50)}`;

function codeOf(error: unknown): string {
  return isVelocityError(error) ? error.code : `not a VelocityError: ${String(error)}`;
}

/** Opens `name`, waiting while the previous page's worker still holds the lock (after a reload). */
function openRetrying(name: string): Promise<BrowserDB> {
  return openBrowserDB(name, { lockTimeoutMs: 5000 });
}

/** Writes `count` keys (in concurrent groups of 500) and leaves the database open. */
export async function writeKeys(name: string, count: number): Promise<void> {
  const db = await openBrowserDB(name);
  for (let start = 0; start < count; start += 500) {
    const puts: Promise<void>[] = [];
    for (let i = start; i < Math.min(count, start + 500); i++) puts.push(db.put(key(i), value(i)));
    await Promise.all(puts);
  }
}

/** Reads keys 0..count-1 back with get and a scan; returns the indices that are missing or wrong. */
export async function readKeys(name: string, count: number): Promise<{ bad: number[]; scanned: number }> {
  const db = await openRetrying(name);
  const bad: number[] = [];
  const values = await db.getMany(Array.from({ length: count }, (_, i) => key(i)));
  values.forEach((v, i) => {
    if (v === undefined || text.decode(v) !== value(i)) bad.push(i);
  });
  let scanned = 0;
  for await (const _ of db.iterator()) scanned++;
  await db.close();
  return { bad, scanned };
}

/**
 * Starts a stream of puts (every 7th with `sync: true`), terminates the worker after `afterMs`, reopens,
 * and reports which keys survived, which synced writes were acknowledged, and how many merges and flush
 * builds the merge worker (ended with the database worker) had finished. A `memtableSize` turns the
 * merge worker on (whatever the machine's cores); a small one keeps it flushing and merging throughout.
 */
export async function terminateMidStream(
  name: string,
  afterMs: number,
  memtableSize?: number,
): Promise<{ present: number[]; syncedAcked: number[]; issued: number; workerJobs: number }> {
  let worker: Worker | undefined;
  const db = await openBrowserDB(name, {
    memtableSize,
    mergeWorker: memtableSize !== undefined, // the merge worker, whatever the machine's cores
    worker: () => {
      worker = new Worker('/worker.js', { type: 'module' });
      return worker;
    },
  });
  // Merges and flush builds that ran in the merge worker before the cut.
  let workerJobs = 0;
  const count = (event: { thread: string }) => void (event.thread === 'worker' && workerJobs++);
  db.on('compaction', count);
  db.on('flush', count);
  const syncedAcked: number[] = [];
  let issued = 0;
  let stopped = false;
  const stream = (async () => {
    while (!stopped) {
      const group: Promise<void>[] = [];
      for (let j = 0; j < 50; j++, issued++) {
        const i = issued;
        const sync = i % 7 === 0;
        const put = db.put(key(i), value(i), { sync });
        group.push(put.then(() => void (sync && syncedAcked.push(i))));
      }
      await Promise.allSettled(group);
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  worker!.terminate(); // as a crashed tab would: no close, no flush
  stopped = true;
  await Promise.race([stream, new Promise((resolve) => setTimeout(resolve, 200))]);
  const acked = [...syncedAcked];
  const jobs = workerJobs;
  const again = await openRetrying(name);
  const present: number[] = [];
  for await (const [k] of again.iterator()) present.push(Number(text.decode(k).slice(3)));
  await again.close();
  return { present, syncedAcked: acked, issued, workerJobs: jobs };
}

let held: BrowserDB | undefined;

/** Opens `name` and keeps it open; returns 'ok' or the error code. */
export async function holdOpen(name: string, lockTimeoutMs = 0): Promise<string> {
  try {
    held = await openBrowserDB(name, { lockTimeoutMs });
    await held.put('holder', location.href);
    return 'ok';
  } catch (error) {
    return codeOf(error);
  }
}

/** Closes what {@link holdOpen} opened. */
export async function closeHeld(): Promise<void> {
  await held?.close();
  held = undefined;
}

/** The error code of openBrowserDB with `Worker` hidden, as in a browser without workers. */
export async function openWithoutWorkers(): Promise<string> {
  const g = globalThis as { Worker?: unknown };
  const saved = g.Worker;
  g.Worker = undefined;
  try {
    await openBrowserDB('no-workers');
    return 'ok';
  } catch (error) {
    return codeOf(error);
  } finally {
    g.Worker = saved;
  }
}

/**
 * Fills a database whose pool may hold only `quotaBytes` until a write fails; then checks it is
 * read-only and, reopened without the limit, still has every acknowledged write.
 */
export async function fillQuota(
  name: string,
  quotaBytes: number,
): Promise<{
  firstError: string;
  errno?: string;
  errorEvents: (string | undefined)[];
  afterwards: string;
  acked: number;
  lost: number[];
}> {
  const db = await openBrowserDB(name, { quotaBytes, memtableSize: 64 * 1024 });
  const errorEvents: (string | undefined)[] = [];
  db.on('error', (event) => errorEvents.push((event.error as { errno?: string }).errno));
  let acked = 0;
  let firstError = '';
  let errno: string | undefined;
  for (let i = 0; firstError === '' && i < 1_000_000; i++) {
    try {
      await db.put(key(i), value(i).padEnd(200, '.'));
      acked = i + 1;
    } catch (error) {
      firstError = codeOf(error);
      errno = (error as { errno?: string }).errno;
    }
  }
  let afterwards = 'ok';
  try {
    await db.put('after', 'x');
  } catch (error) {
    afterwards = codeOf(error);
  }
  await db.close().catch(() => {});
  const again = await openRetrying(name);
  const values = await again.getMany(Array.from({ length: acked }, (_, i) => key(i)));
  const lost = values.flatMap((v, i) =>
    v === undefined || text.decode(v) !== value(i).padEnd(200, '.') ? [i] : [],
  );
  await again.close();
  if (firstError === 'IO_ERROR') errorEvents.push(errno); // the write itself reported it
  return { firstError, errno, errorEvents, afterwards, acked, lost };
}

/** deleteBrowserDB while open (its error code), then after close: what a reopen finds of the old key. */
export async function deleteScenario(
  name: string,
): Promise<{ whileOpen: string; afterDelete: string | null }> {
  const db = await openBrowserDB(name);
  await db.put('k', 'v');
  let whileOpen = 'ok';
  await deleteBrowserDB(name).catch((error) => {
    whileOpen = codeOf(error);
  });
  await db.close();
  await deleteBrowserDB(name);
  await deleteBrowserDB(name); // nothing there: still fine
  const again = await openBrowserDB(name);
  const found = await again.get('k');
  await again.close();
  return { whileOpen, afterDelete: found === undefined ? null : text.decode(found) };
}

/**
 * Gets on a cross-origin-isolated page, where lone gets go through shared memory: concurrent gets
 * (the first shared, the rest by message), a value too large for the buffer, bad keys, a closed database.
 */
export async function sharedMemoryGets(name: string): Promise<Record<string, unknown>> {
  const db = await openBrowserDB(name);
  const big = 'b'.repeat(100_000);
  await db.write([
    { type: 'put', key: 'a', value: 'apple' },
    { type: 'put', key: 'big', value: big },
  ]);
  const decode = (v: Uint8Array | undefined) => (v === undefined ? null : text.decode(v));
  const together = (await Promise.all(['a', 'missing', 'big', 'a'].map((k) => db.get(k)))).map((v) =>
    v === undefined ? null : text.decode(v).slice(0, 5),
  );
  const lone = [
    decode(await db.get('a')),
    decode(await db.get('missing')),
    decode(await db.get('big')) === big,
  ];
  const badKey = await db.get(42 as unknown as string).then(
    () => 'resolved',
    (error) => codeOf(error),
  );
  const afterBadKey = decode(await db.get('a'));
  await db.close();
  const closed = await db.get('a').then(
    () => 'resolved',
    (error) => codeOf(error),
  );
  return { isolated: globalThis.crossOriginIsolated, together, lone, badKey, afterBadKey, closed };
}
