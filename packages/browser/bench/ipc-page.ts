// The IPC benchmark's page: round trips per second between the page and a dedicated worker, by
// each way of talking to it. Needs a cross-origin-isolated page for the SharedArrayBuffer rows.

async function time(n: number, body: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await body();
  return Math.round(((performance.now() - start) / n) * 1000) / 1000; // ms per round trip
}

function worker(): Worker {
  return new Worker('/ipc-worker.js', { type: 'module' });
}

async function runIpc(n: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const w = worker();
  const reply = () => new Promise((resolve) => (w.onmessage = resolve));
  out.postMessageObject = await time(n, () => {
    const r = reply();
    w.postMessage({ type: 'echo', requests: [{ op: 'get', id: 1, key: new Uint8Array(16) }] });
    return r;
  });
  const channel = new MessageChannel();
  w.postMessage({ type: 'port', port: channel.port2 }, [channel.port2]);
  const portReply = () => new Promise((resolve) => (channel.port1.onmessage = resolve));
  out.portObject = await time(n, () => {
    const r = portReply();
    channel.port1.postMessage({ op: 'get', id: 1, key: new Uint8Array(16) });
    return r;
  });
  out.portTransfer = await time(n, () => {
    const r = portReply();
    const b = new ArrayBuffer(32);
    channel.port1.postMessage(b, [b]);
    return r;
  });
  w.terminate();
  out.isolated = globalThis.crossOriginIsolated ? 1 : 0;
  if (!globalThis.crossOriginIsolated) return out;
  for (const [mode, delayMs] of [
    ['block', 0],
    ['block', 0.01],
    ['async', 0],
    ['spin', 0],
  ] as const) {
    const sw = worker();
    const i32 = new Int32Array(new SharedArrayBuffer(64));
    sw.postMessage({ type: 'shared', buffer: i32.buffer, mode, delayMs });
    await new Promise((r) => setTimeout(r, 100));
    let seq = 0;
    out[`shared-${mode}-${delayMs}`] = await time(n, async () => {
      seq++;
      Atomics.store(i32, 0, seq);
      Atomics.notify(i32, 0);
      for (;;) {
        const got = Atomics.load(i32, 1);
        if (got === seq) return;
        const wait = Atomics.waitAsync(i32, 1, got);
        if (wait.async) await wait.value;
      }
    });
    sw.terminate();
  }
  return out;
}

Object.assign(globalThis, { runIpc, ready: true });
