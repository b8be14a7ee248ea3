// Profiling page (not part of the benchmark): the benchmark's workloads one at a time, with
// per-call latencies, so a driver can profile the worker around each.
import { openBrowserDB } from '../src/index.js';
import type { BrowserDB } from '../src/client/browser-db.js';

let db: BrowserDB | undefined;
/** Background work as the engine reports it: [ms since open, event, duration ms, thread]. */
let timeline: [number, string, number, string][] = [];
let opened = 0;
let ks: Uint8Array[] = [];
const enc = new TextEncoder();

function keys(n: number): Uint8Array[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.map((i) => enc.encode(String(i).padStart(16, '0')));
}
const value = () => crypto.getRandomValues(new Uint8Array(100));

function summary(lat: number[], ms: number) {
  const s = [...lat].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 1000);
  const slow = lat.filter((x) => x > 0.2);
  return {
    rate: Math.round(lat.length / (ms / 1000)),
    p50us: q(0.5),
    p90us: q(0.9),
    p99us: q(0.99),
    maxus: q(1),
    slowCount: slow.length,
    slowMs: Math.round(slow.reduce((a, b) => a + b, 0)),
  };
}

const prof = {
  async open(shared: boolean, name = `p-${Date.now()}`, mergeWorker?: boolean, spinMs?: number) {
    db = await openBrowserDB(name, { sharedMemory: shared, mergeWorker });
    const client = (db as unknown as { rpc: { shared?: { spinMs: number } } }).rpc.shared;
    if (spinMs !== undefined && client !== undefined) client.spinMs = spinMs; // bench only
    opened = performance.now();
    timeline = [];
    const at = () => Math.round(performance.now() - opened);
    db.on('compaction', (e) => timeline.push([at(), 'compaction', Math.round(e.durationMs), e.thread]));
    db.on('flush', (e) => timeline.push([at(), 'flush', Math.round(e.durationMs), e.thread]));
  },
  async fill(n: number) {
    ks = keys(n);
    const t = performance.now();
    for (let i = 0; i < n; i += 1000)
      await db!.write(ks.slice(i, i + 1000).map((key) => ({ type: 'put' as const, key, value: value() })));
    return Math.round(n / ((performance.now() - t) / 1000));
  },
  /** The background work reported so far, and the time now (ms since open). */
  timeline() {
    return { now: Math.round(performance.now() - opened), timeline };
  },
  async gets(count: number, from: number) {
    const n = ks.length;
    const lat: number[] = [];
    const t = performance.now();
    for (let i = from; i < from + count; i++) {
      const s = performance.now();
      if ((await db!.get(ks[(i * 7919) % n])) === undefined) throw new Error('miss');
      lat.push(performance.now() - s);
    }
    return summary(lat, performance.now() - t);
  },
  async puts(count: number) {
    if (ks.length < count) ks = keys(count);
    const lat: number[] = [];
    const t = performance.now();
    for (let i = 0; i < count; i++) {
      const s = performance.now();
      await db!.put(ks[i], value());
      lat.push(performance.now() - s);
    }
    return summary(lat, performance.now() - t);
  },
  async sleep(ms: number) {
    await new Promise((r) => setTimeout(r, ms));
  },
  async stats() {
    return db!.stats();
  },
  async close() {
    await db!.close();
  },
};

Object.assign(globalThis, { prof, ready: true });

/** One database of ab(): shared memory or not, another worker script, the spin's knobs (bench only). */
interface Variant {
  shared: boolean;
  worker?: string;
  spinMs?: number;
  writeSpinMs?: number;
  workerSpinUs?: number;
  backoff?: number;
  /** Open it with the openBrowserDB of /lib-<lib>.js and its worker (another version, see profile-main.ts). */
  lib?: string;
}

/** Awaited puts (or gets) on several open databases, alternating blocks, to compare them under the same load. */
async function ab(
  variants: Record<string, boolean | Variant>,
  blocks: number,
  block: number,
  kind: 'puts' | 'gets',
) {
  const dbs: Record<string, BrowserDB> = {};
  for (const [name, v] of Object.entries(variants)) {
    const { shared, worker, spinMs, writeSpinMs, workerSpinUs, backoff, lib } =
      typeof v === 'boolean' ? ({ shared: v } as Variant) : v;
    const open: typeof openBrowserDB =
      lib === undefined ? openBrowserDB : (await import(`${location.origin}/lib-${lib}.js`)).openBrowserDB;
    const script = worker ?? (lib === undefined ? undefined : `/worker-${lib}.js`);
    dbs[name] = await open(`ab-${name}-${Date.now()}`, {
      sharedMemory: shared,
      worker: script === undefined ? undefined : () => new Worker(script, { type: 'module' }),
    });
    // bench only: the page's spin on the reply word (SharedCallsClient.spinMs), reached through privates
    const client = (
      dbs[name] as unknown as {
        rpc: {
          shared?: { spinMs: number; writeSpinMs: number; spinBackoff: number; buffer: SharedArrayBuffer };
        };
      }
    ).rpc.shared;
    if (spinMs !== undefined && client !== undefined) client.spinMs = spinMs;
    if (writeSpinMs !== undefined && client !== undefined) client.writeSpinMs = writeSpinMs;
    if (backoff !== undefined && client !== undefined) client.spinBackoff = backoff;
    if (workerSpinUs !== undefined && client !== undefined) new Int32Array(client.buffer)[11] = workerSpinUs;
  }
  const all = keys(blocks * block);
  if (kind === 'gets')
    for (const d of Object.values(dbs))
      for (let i = 0; i < all.length; i += 1000)
        await d.write(all.slice(i, i + 1000).map((key) => ({ type: 'put' as const, key, value: value() })));
  const rates: Record<string, number[]> = {};
  for (let b = 0; b < blocks; b++)
    for (const [name, d] of Object.entries(dbs)) {
      const t = performance.now();
      for (let i = b * block; i < (b + 1) * block; i++) {
        if (kind === 'puts') await d.put(all[i], value());
        else if ((await d.get(all[(i * 7919) % all.length])) === undefined) throw new Error('miss');
      }
      (rates[name] ??= []).push(Math.round(block / ((performance.now() - t) / 1000)));
    }
  const counts = Object.fromEntries(
    Object.entries(dbs).map(([k, d]) => [
      k,
      (d as unknown as { rpc: { shared?: { spins: object } } }).rpc.shared?.spins,
    ]),
  );
  console.log('spins', JSON.stringify(counts));
  for (const d of Object.values(dbs)) await d.close();
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, { median: med(v), all: v }]));
}
Object.assign(globalThis, { ab });
