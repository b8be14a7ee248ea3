// Child process of crash.test.ts: opens the database in argv[2] and writes keys from argv[3] on, one
// awaited write at a time (every third one synced, every fifth a batch of two), appending "ack N" to
// the file argv[4] after each write is acknowledged (a synchronous write to a file, which a SIGKILL
// cannot lose; a pipe to the parent can: once it is full, Node queues stdout in the process), and
// printing "ready" once on stdout. It runs until the parent kills it with SIGKILL.
import { openSync, writeSync } from 'node:fs';
import { DB } from '../dist/index.js';

const acks = openSync(process.argv[4], 'a');
let ready = false;

const dir = process.argv[2];
let next = Number(process.argv[3]);
const db = await DB.open(dir, { memtableSize: 64 * 1024 });
const key = (i) => `key${String(i).padStart(8, '0')}`;
const value = (i) => `value-${i}-`.padEnd(100, '.');
for (;;) {
  const i = next++;
  if (i % 5 === 0) {
    await db.write([
      { type: 'put', key: key(i), value: value(i) },
      { type: 'put', key: `${key(i)}b`, value: value(i) },
    ]);
  } else {
    await db.put(key(i), value(i), { sync: i % 3 === 0 });
  }
  writeSync(acks, `ack ${i}\n`);
  if (!ready) {
    ready = true;
    process.stdout.write('ready\n');
  }
}
