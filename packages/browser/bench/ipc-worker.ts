// The IPC benchmark's worker: echoes over postMessage, over a MessagePort, and over a
// SharedArrayBuffer (Atomics.wait blocking, or Atomics.waitAsync).
const scope = globalThis as unknown as Worker;

function serveShared(i32: Int32Array, mode: 'block' | 'async' | 'spin', delayMs: number): void {
  let seen = 0;
  const answer = () => {
    const until = performance.now() + delayMs;
    while (performance.now() < until);
    seen = Atomics.load(i32, 0);
    Atomics.store(i32, 1, seen);
    Atomics.notify(i32, 1);
  };
  if (mode === 'block') {
    for (;;) {
      if (Atomics.wait(i32, 0, seen, 5000) === 'timed-out') return;
      answer();
    }
  }
  if (mode === 'spin') {
    const until = () => performance.now() + 5000;
    let deadline = until();
    while (performance.now() < deadline) {
      if (Atomics.load(i32, 0) !== seen) {
        answer();
        deadline = until();
      }
    }
    return;
  }
  const loop = (): void => {
    const wait = Atomics.waitAsync(i32, 0, seen);
    if (wait.async)
      wait.value.then(() => {
        answer();
        loop();
      });
    else {
      answer();
      loop();
    }
  };
  loop();
}

scope.onmessage = ({ data }: MessageEvent) => {
  if (data.type === 'echo') scope.postMessage(data);
  else if (data.type === 'port') {
    const port = data.port as MessagePort;
    port.onmessage = ({ data: m }) => port.postMessage(m, m instanceof ArrayBuffer ? [m] : []);
  } else if (data.type === 'shared') serveShared(new Int32Array(data.buffer), data.mode, data.delayMs ?? 0);
};
