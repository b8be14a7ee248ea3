// Child process of checkpoint-kill.test.ts: fills the database in argv[2] with argv[4] keys, prints
// "ready", then takes checkpoints into argv[3]/c0, c1, … one after another, printing "done N" after
// each returns. It runs until the parent kills it with SIGKILL, most likely in the middle of one.
import { join } from 'node:path';
import { DB } from '../dist/index.js';

const [dir, out, count] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const db = await DB.open(dir, { memtableSize: 64 * 1024 });
const key = (i) => `key${String(i).padStart(8, '0')}`;
for (let i = 0; i < count; i += 100) {
  const batch = db.batch();
  for (let j = i; j < Math.min(count, i + 100); j++) batch.put(key(j), `value-${j}-`.padEnd(200, '.'));
  await batch.write();
}
// Half the data in tables, half in the log, so a checkpoint copies both.
await db.flush();
for (let j = 0; j < count; j += 2) await db.put(key(j), `new-${j}-`.padEnd(200, '.'));
console.log('ready');
for (let n = 0; ; n++) {
  await db.checkpoint(join(out, `c${n}`));
  console.log(`done ${n}`);
}
