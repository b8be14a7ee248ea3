// Floor measurements: an empty postMessage round trip, and the worker's OPFS write costs.
async function runFloor(n: number): Promise<Record<string, number>> {
  const w = new Worker('/floor-worker.js', { type: 'module' });
  const reply = () => new Promise<MessageEvent>((resolve) => (w.onmessage = resolve));
  const out: Record<string, number> = {};
  let r = reply();
  w.postMessage({ type: 'floor', n: Math.min(n, 500) });
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
