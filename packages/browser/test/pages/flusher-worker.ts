// A dedicated worker that checks OpfsFileSystem's syncAsync: its flushes run in the helper worker, the
// data is there after the pool is reopened, and with flushInHelper: false there is no syncAsync.
import { OpfsFileSystem } from '../../src/opfs/opfs-file-system.js';

async function main(): Promise<unknown> {
  const directory = `flusher-${Date.now()}`;
  const fs = await OpfsFileSystem.open({ directory });
  fs.mkdir('/d');
  const files = ['/d/a', '/d/b', '/d/c'].map((path) => ({ path, file: fs.openWritable(path) }));
  const syncs: Promise<void>[] = [];
  for (let round = 0; round < 5; round++) {
    for (const { file } of files) {
      file.append(new Uint8Array(1000).fill(round + 1));
      syncs.push((file.syncAsync as () => Promise<void>)());
    }
  }
  await Promise.all(syncs);
  const counts = { ...fs.helperFlushes };
  for (const { file } of files) file.close();
  fs.close();
  const again = await OpfsFileSystem.open({ directory, flushInHelper: false, lockTimeoutMs: 2000 });
  const sizes = files.map(({ path }) => again.size(path));
  const last = again.readFile('/d/c')[4999];
  const plain = again.openWritable('/d/plain');
  const noSyncAsync = plain.syncAsync === undefined && again.helperFlushes === undefined;
  plain.close();
  again.close();
  return { counts, sizes, last, noSyncAsync };
}

main().then(
  (result) => postMessage({ result }),
  (error) => postMessage({ error: String(error?.stack ?? error) }),
);
