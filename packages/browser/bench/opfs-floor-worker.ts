// Floor measurements inside a dedicated worker: the cost of one write() call on an OPFS sync access
// handle (appending, overwriting, 4 KiB), one read(), getSize() and one flush(). The handle is opened
// first ('prepare'), so that the page can keep its own thread busy while the calls run ('floor').
const scope = globalThis as unknown as Worker;

// biome-ignore lint/suspicious/noExplicitAny: the sync handle is missing from older lib.dom
let opened: { root: FileSystemDirectoryHandle; file: FileSystemFileHandle; handle: any } | undefined;

async function prepare(): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const file = await root.getFileHandle(`floor-${Date.now()}`, { create: true });
  // biome-ignore lint/suspicious/noExplicitAny: the sync handle is missing from older lib.dom
  const handle: any = await (file as any).createSyncAccessHandle();
  opened = { root, file, handle };
}

async function floor(n: number): Promise<Record<string, number>> {
  if (opened === undefined) await prepare();
  const { root, file, handle } = opened!;
  opened = undefined;
  const bytes = new Uint8Array(130);
  const out: Record<string, number> = {};
  const time = (label: string, body: (i: number) => void) => {
    const start = performance.now();
    for (let i = 0; i < n; i++) body(i);
    out[label] = ((performance.now() - start) / n) * 1000;
  };
  time('append130', (i) => handle.write(bytes, { at: i * 130 }));
  time('overwrite130', (i) => handle.write(bytes, { at: i * 130 }));
  time('sameOffset130', () => handle.write(bytes, { at: 0 }));
  const big = new Uint8Array(4096);
  time('append4k', (i) => handle.write(big, { at: n * 130 + i * 4096 }));
  time('read4k', (i) => handle.read(big, { at: i * 4096 }));
  time('getSize', () => handle.getSize());
  const f0 = performance.now();
  handle.flush();
  out.oneFlush = (performance.now() - f0) * 1000;
  handle.close();
  await root.removeEntry(file.name);
  return out;
}

scope.onmessage = async ({ data }: MessageEvent) => {
  if (data.type === 'prepare') {
    await prepare();
    scope.postMessage({});
  } else if (data.type === 'floor') scope.postMessage(await floor(data.n));
  else scope.postMessage(data);
};
