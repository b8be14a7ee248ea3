// Floor measurements: an empty postMessage round trip, and the worker's OPFS write costs, with the
// page's thread idle or busy (a loop of arithmetic, as a page spinning for an answer keeps it).
async function runFloor(n: number, busyPage: boolean): Promise<Record<string, number>> {
  const w = new Worker('/floor-worker.js', { type: 'module' });
  const reply = () => new Promise<MessageEvent>((resolve) => (w.onmessage = resolve));
  const out: Record<string, number> = {};
  let r = reply();
  w.postMessage({ type: 'prepare' }); // the worker and its handle first: starting them needs this thread
  await r;
  r = reply();
  w.postMessage({ type: 'floor', n: Math.min(n, 2000) }); // the same calls idle and busy, to compare
  if (busyPage) {
    // busy for longer than the worker's 6 × 2,000 calls take, then wait for its answer
    const until = performance.now() + 1000;
    let x = 0;
    while (performance.now() < until) for (let j = 0; j < 1000; j++) x = (x * 31 + j) | 0;
    out.busyChecksum = x & 1;
  }
  Object.assign(out, (await r).data);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    r = reply();
    w.postMessage({});
    await r;
  }
  out.emptyRoundTrip = ((performance.now() - start) / n) * 1000;
  w.terminate();
  return out;
}
Object.assign(globalThis, { runFloor, ready: true });
