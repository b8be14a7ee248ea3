// Child process of read-only-process.test.ts: opens the database in argv[2] read-only while the parent
// writes it, and refreshes in a loop. Every state it sees must be one the writer acknowledged: the
// writer commits `counter = n` together with `key n = n` (one batch), so a state with counter c holds
// exactly the keys 0..c, each with its own number. Prints "seen C" when the counter moved, "error ..."
// on the first error or inconsistency, and, once the parent writes "final N" on stdin, refreshes once
// more, checks that it sees N, prints "done REFRESHES" and exits.
import { DB } from '../dist/index.js';

const dir = process.argv[2];
const decoder = new TextDecoder();
const key = (i) => `key${String(i).padStart(8, '0')}`;
let final;
process.stdin.on('data', (chunk) => {
  const m = /final (\d+)/.exec(String(chunk));
  if (m) final = Number(m[1]);
});

function check(db) {
  const raw = db.getSync('counter');
  if (raw === undefined) return -1;
  const counter = Number(decoder.decode(raw));
  let n = 0;
  for (const [k, v] of db.iterator({ gte: 'key', lt: 'kez' })) {
    if (decoder.decode(k) !== key(n) || Number(decoder.decode(v)) !== n)
      throw new Error(`entry ${n} is wrong`);
    n++;
  }
  if (n !== counter + 1) throw new Error(`counter ${counter} but ${n} keys`);
  return counter;
}

let db;
try {
  db = await DB.open(dir, { readOnly: true });
  let last = check(db);
  let refreshes = 0;
  for (;;) {
    const stop = final;
    await db.refresh();
    refreshes++;
    const counter = check(db);
    if (counter < last) throw new Error(`counter went back from ${last} to ${counter}`);
    if (counter !== last) process.stdout.write(`seen ${counter}\n`);
    last = counter;
    if (stop !== undefined) {
      if (counter !== stop) throw new Error(`final refresh saw ${counter}, the writer ended at ${stop}`);
      process.stdout.write(`done ${refreshes}\n`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await db.close();
} catch (error) {
  process.stdout.write(`error ${error.code ?? ''} ${error.stack}\n`);
  process.exitCode = 1;
}
process.stdin.destroy();
