// A log record whose checksum is right but whose batch does not parse (a bug elsewhere, or damage
// that kept the CRC): the open treats it as recoveryMode says: CORRUPTION naming the log by default,
// skipped under skip-any-corrupted, the end of recovery under point-in-time.
import { type MemoryFileSystem, encodeFixed32, encodeFixed64, utf8 } from '@velocity/core';
import { LogWriter } from '@velocity/wal';
import { describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';
import { dump, openMemory, rejection } from './helpers.js';

/** A put batch, LevelDB's layout: sequence, count, then kind 1, key and value with varint lengths. */
function putBatch(sequence: number, k: string, v: string): Uint8Array {
  const out = new Uint8Array(12 + 1 + 1 + k.length + 1 + v.length);
  encodeFixed64(out, 0, sequence);
  encodeFixed32(out, 8, 1);
  out.set([1, k.length, ...utf8(k), v.length, ...utf8(v)], 12);
  return out;
}

/** A killed database whose log holds a, b, then `bad`, then a well-formed put of z. */
async function damaged(bad: Uint8Array): Promise<MemoryFileSystem> {
  const { db, fs } = await openMemory();
  await db.put('a', '1');
  await db.put('b', '2');
  const survivor = fs.kill();
  const log = `/db/${survivor.list('/db').find((n) => n.endsWith('.log'))}`;
  const file = survivor.openWritable(log, { append: true });
  const writer = new LogWriter(file, { initialOffset: file.size });
  writer.addRecord(bad);
  writer.addRecord(putBatch(100, 'z', '26'));
  writer.sync();
  writer.close();
  return survivor;
}

const malformed: [string, Uint8Array][] = [
  ['shorter than a batch header', new Uint8Array(5)],
  ['with a record kind that does not exist', putBatch(50, 'c', '3').map((b, i) => (i === 12 ? 7 : b))],
  ['with a value running past its end', putBatch(50, 'c', '3').subarray(0, 12 + 1 + 1 + 1 + 1)],
];

describe('a log record that passes its checksum but does not parse', () => {
  for (const [what, bad] of malformed) {
    it(`${what}: CORRUPTION by default, naming the log; nothing changes`, async () => {
      const fs = await damaged(bad);
      const before = fs.list('/db');
      const error = await rejection(DB.open('/db', { fs }));
      expect(error.code).toBe('CORRUPTION');
      expect(error.message).toMatch(/\.log: /);
      expect(fs.list('/db')).toEqual(before);
    });
  }

  it('is skipped under skip-any-corrupted: the records around it are kept', async () => {
    const fs = await damaged(new Uint8Array(5));
    const db = await DB.open('/db', { fs, recoveryMode: 'skip-any-corrupted' });
    expect(dump(db)).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['z', '26'],
    ]);
    await db.close();
  });

  it('ends recovery under point-in-time: what came before is kept, nothing after', async () => {
    const fs = await damaged(new Uint8Array(5));
    const db = await DB.open('/db', { fs, recoveryMode: 'point-in-time' });
    expect(dump(db)).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    await db.put('c', '3'); // the database is writable and its sequence numbers go on
    await db.close();
    const again = await DB.open('/db', { fs });
    expect(dump(again).map(([k]) => k)).toEqual(['a', 'b', 'c']);
    await again.close();
  });
});
