// Child process of crash.test.ts's pipelined-fsync test: opens the database in argv[2] and runs 16
// concurrent writers, each writing synced puts `w<W>-<N>` for N = 0, 1, …, appending "ack W N" to the
// file argv[3] when a put is acknowledged (synchronously, so a SIGKILL cannot lose it as it can lose
// stdout queued in the process once the pipe is full), and printing "ready" once on stdout. With 16 writers an fsync of the log is almost always in flight off the main
// thread while the next group gathers. It runs until the parent kills it with SIGKILL.
import { openSync, writeSync } from 'node:fs';
import { DB } from '../dist/index.js';

const acks = openSync(process.argv[3], 'a');
let ready = false;

const db = await DB.open(process.argv[2], { memtableSize: 64 * 1024 });
const key = (w, n) => `w${String(w).padStart(2, '0')}-${String(n).padStart(8, '0')}`;
await Promise.all(
  Array.from({ length: 16 }, async (_, w) => {
    for (let n = 0; ; n++) {
      await db.put(key(w, n), `value-${w}-${n}`, { sync: true });
      writeSync(acks, `ack ${w} ${n}\n`);
      if (!ready) {
        ready = true;
        process.stdout.write('ready\n');
      }
    }
  }),
);
