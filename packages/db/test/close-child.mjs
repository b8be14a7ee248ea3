// Child process of close.test.ts: opens the database in argv[2] with a small memtable, writes random
// keys one awaited put at a time for argv[3] milliseconds, and on until a merge ran in the worker (at
// most 30 s, for a loaded machine), closes, and prints "closed". Nothing else keeps its event loop alive: if the
// close left only an unreferenced handle to wait on, the process would end before printing.
import { DB } from '../dist/index.js';

const dir = process.argv[2];
const ms = Number(process.argv[3]);
const db = await DB.open(dir, { memtableSize: 64 * 1024 });
let merges = 0;
db.on('compaction', (event) => {
  if (event.thread === 'worker') merges++;
});
const value = new Uint8Array(100);
let x = 1;
const started = performance.now();
const elapsed = () => performance.now() - started;
while ((elapsed() < ms || merges === 0) && elapsed() < 30_000) {
  x = (x * 1103515245 + 12345) & 0x7fffffff;
  await db.put(String(x % 200_000).padStart(16, '0'), value);
}
console.log(`merges ${merges}`);
await db.close();
console.log('closed');
