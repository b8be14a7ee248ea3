import { DB } from '../dist/index.js';
const db = await DB.open(process.argv[2], { memtableSize: 64 * 1024 });
let merges = 0,
  flushes = 0,
  n = 0;
db.on('compaction', (e) => {
  if (e.thread === 'worker') merges++;
  else console.log('main', e.reason);
});
db.on('flush', () => flushes++);
const value = new Uint8Array(100);
let x = 1;
const started = performance.now();
while (performance.now() - started < 1500) {
  x = (x * 1103515245 + 12345) & 0x7fffffff;
  n++;
  await db.put(String(x % 200_000).padStart(16, '0'), value);
}
console.log(
  `merges ${merges} flushes ${flushes} puts ${n}`,
  JSON.stringify(db.stats().levels.map((l) => l.files)),
);
await db.close();
