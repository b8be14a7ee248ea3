import {
  crc32cExtend,
  encodeFixed32,
  isVelocityError,
  MemoryFileSystem,
  maskCrc,
  utf8,
} from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, HEADER_SIZE, LogReader, LogWriter, type RecoveryMode } from '../src/index.js';
import { record, writeLog } from './helpers.js';

const readAll = (bytes: Uint8Array, mode?: RecoveryMode, initialOffset?: number) => {
  const reader = new LogReader(bytes, { mode, initialOffset });
  return { records: [...reader], dropped: reader.dropped };
};

describe('LogWriter and LogReader', () => {
  it('reads nothing from an empty log', () => {
    expect(readAll(new Uint8Array(0)).records).toEqual([]);
  });

  it('round-trips small, empty and multi-block records', () => {
    const records = [
      utf8('foo'),
      utf8('bar'),
      new Uint8Array(0),
      utf8('xxxx'),
      record(100_000, 1),
      record(3 * BLOCK_SIZE, 2),
    ];
    expect(readAll(writeLog(records)).records).toEqual(records);
  });

  it('fragments a record across blocks with FIRST/MIDDLE/LAST', () => {
    const big = record(2 * BLOCK_SIZE, 3);
    const bytes = writeLog([big]);
    expect(bytes[6]).toBe(2); // FIRST
    expect(bytes[BLOCK_SIZE + 6]).toBe(3); // MIDDLE
    expect(bytes[2 * BLOCK_SIZE + 6]).toBe(4); // LAST
    expect(readAll(bytes).records).toEqual([big]);
  });

  it('starts a new block when exactly 7 bytes remain (marginal trailer: an empty FIRST fragment)', () => {
    const n = BLOCK_SIZE - 2 * HEADER_SIZE;
    const records = [record(n, 1), new Uint8Array(0), record(10, 2)];
    const bytes = writeLog(records);
    expect(bytes.length).toBe(BLOCK_SIZE + HEADER_SIZE + 10); // the empty record filled the last 7 bytes
    expect(readAll(bytes).records).toEqual(records);
  });

  it('pads a short trailer (fewer than 7 bytes left) with zeros', () => {
    const n = BLOCK_SIZE - 2 * HEADER_SIZE + 4; // leaves 3 bytes in the block
    const records = [record(n, 1), record(5, 2)];
    const bytes = writeLog(records);
    expect([...bytes.subarray(BLOCK_SIZE - 3, BLOCK_SIZE)]).toEqual([0, 0, 0]);
    expect(readAll(bytes).records).toEqual(records);
  });

  it('ends exactly at a block boundary (aligned EOF)', () => {
    const records = [record(BLOCK_SIZE - HEADER_SIZE, 9)];
    const bytes = writeLog(records);
    expect(bytes.length).toBe(BLOCK_SIZE);
    expect(readAll(bytes).records).toEqual(records);
  });

  it('appends after reopening with initialOffset', () => {
    const fs = new MemoryFileSystem();
    let w = new LogWriter(fs.openWritable('/log'));
    w.addRecord(record(BLOCK_SIZE - 20, 1));
    w.close();
    w = new LogWriter(fs.openWritable('/log', { append: true }), { initialOffset: fs.size('/log') });
    w.addRecord(record(50, 2));
    w.close();
    expect(readAll(fs.readFile('/log')).records).toEqual([record(BLOCK_SIZE - 20, 1), record(50, 2)]);
  });

  it('reads through a RandomAccessFile block by block', () => {
    const fs = new MemoryFileSystem();
    const w = new LogWriter(fs.openWritable('/log'));
    const records = Array.from({ length: 50 }, (_, i) => record(i * 997, i));
    for (const r of records) w.addRecord(r);
    w.sync();
    expect([...new LogReader(fs.openReadable('/log'))]).toEqual(records);
  });

  it('reports lastRecordOffset of each record', () => {
    const bytes = writeLog([utf8('a'), utf8('bb')]);
    const reader = new LogReader(bytes);
    reader.readRecord();
    expect(reader.lastRecordOffset).toBe(0);
    reader.readRecord();
    expect(reader.lastRecordOffset).toBe(HEADER_SIZE + 1);
  });
});

describe('damage', () => {
  const three = () => [record(1000, 1), record(1000, 2), record(1000, 3)];

  it('cuts a truncated last record silently by default, and reports it', () => {
    const bytes = writeLog(three());
    const { records, dropped } = readAll(bytes.subarray(0, bytes.length - 10));
    expect(records).toEqual(three().slice(0, 2));
    expect(dropped).toHaveLength(1);
    expect(dropped[0].reason).toMatch(/end of file/);
  });

  it('cuts a truncated header at the end', () => {
    const bytes = writeLog(three());
    const end = 2 * (1000 + HEADER_SIZE) + 3;
    expect(readAll(bytes.subarray(0, end)).records).toEqual(three().slice(0, 2));
  });

  it('absolute consistency refuses a torn tail', () => {
    const bytes = writeLog(three());
    expect(() => readAll(bytes.subarray(0, bytes.length - 10), 'absolute-consistency')).toThrowError(
      /log damaged/,
    );
  });

  it('throws on damage in the middle by default, and skips or stops in the lenient modes', () => {
    const bytes = writeLog(three()).slice();
    bytes[1000 + HEADER_SIZE + 20] ^= 0xff; // payload of the second record
    let error: unknown;
    try {
      readAll(bytes);
    } catch (e) {
      error = e;
    }
    expect(isVelocityError(error, 'CORRUPTION')).toBe(true);
    expect(readAll(bytes, 'point-in-time').records).toEqual([record(1000, 1)]);
    const skipped = readAll(bytes, 'skip-any-corrupted');
    // Only the damaged fragment is dropped: an intact fragment follows it.
    expect(skipped.records).toEqual([record(1000, 1), record(1000, 3)]);
    expect(skipped.dropped[0].reason).toBe('checksum mismatch');
  });

  it('skip mode resumes at the next block after damage', () => {
    const records = [record(BLOCK_SIZE - HEADER_SIZE, 1), record(BLOCK_SIZE - HEADER_SIZE, 2), record(10, 3)];
    const bytes = writeLog(records).slice();
    bytes[10] ^= 1;
    expect(readAll(bytes, 'skip-any-corrupted').records).toEqual(records.slice(1));
  });

  it('reports a bad length in the middle', () => {
    const records = [record(100, 1), record(BLOCK_SIZE, 2)];
    const bytes = writeLog(records).slice();
    bytes[4] = 0xff; // length of the first record far beyond the block
    bytes[5] = 0xff;
    expect(() => readAll(bytes)).toThrowError(/bad record length/);
    expect(readAll(bytes, 'skip-any-corrupted').dropped[0].reason).toBe('bad record length');
  });

  it('reports unknown fragment types and unexpected MIDDLE/LAST fragments', () => {
    const bytes = writeLog([record(10, 1), record(10, 2)]).slice();
    // Rewrite the first fragment's type to LAST (4) with a valid checksum by re-framing by hand.
    const forged = forgeFragment(4, record(10, 1));
    bytes.set(forged, 0);
    const { records, dropped } = readAll(bytes, 'skip-any-corrupted');
    expect(records).toEqual([record(10, 2)]);
    expect(dropped[0].reason).toMatch(/unexpected LAST/);
    bytes.set(forgeFragment(9, record(10, 1)), 0);
    expect(readAll(bytes, 'skip-any-corrupted').dropped[0].reason).toMatch(/unknown fragment type 9/);
  });

  it('starts at an initial offset, skipping the tail of a record that began earlier', () => {
    const records = [record(BLOCK_SIZE + 100, 1), record(50, 2), record(60, 3)];
    const bytes = writeLog(records);
    expect(readAll(bytes, undefined, 1).records).toEqual(records.slice(1));
    expect(readAll(bytes, undefined, BLOCK_SIZE + 5).records).toEqual(records.slice(1));
    const third = BLOCK_SIZE + HEADER_SIZE + 100 + HEADER_SIZE + 50; // FIRST fills block 0; LAST is 107 bytes
    expect(readAll(bytes, undefined, third).records).toEqual(records.slice(2));
    expect(readAll(bytes, undefined, bytes.length).records).toEqual([]);
  });
});

function forgeFragment(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + payload.length);
  const crc = crc32cExtend(crc32cExtend(0, Uint8Array.of(type)), payload);
  encodeFixed32(out, 0, maskCrc(crc));
  out[4] = payload.length & 0xff;
  out[5] = payload.length >>> 8;
  out[6] = type;
  out.set(payload, HEADER_SIZE);
  return out;
}

describe('properties', () => {
  const recordsArb = fc.array(
    fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.integer({ min: 0, max: 2 * BLOCK_SIZE }).map((n) => record(n, n)),
    ),
    { maxLength: 12 },
  );

  it('any record sequence round-trips', () => {
    fc.assert(
      fc.property(recordsArb, (records) => {
        expect(readAll(writeLog(records)).records).toEqual(records);
      }),
      { numRuns: 30 },
    );
  });

  it('any truncation yields a prefix of the records, without throwing', () => {
    fc.assert(
      fc.property(recordsArb, fc.double({ min: 0, max: 1, noNaN: true }), (records, cut) => {
        const bytes = writeLog(records);
        const got = readAll(bytes.subarray(0, Math.floor(bytes.length * cut))).records;
        expect(got).toEqual(records.slice(0, got.length));
      }),
      { numRuns: 60 },
    );
  });

  it('a flipped byte is detected or harmless: never a wrong record', () => {
    fc.assert(
      fc.property(
        recordsArb.filter((r) => r.length > 0),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (records, at, mask) => {
          const bytes = writeLog(records).slice();
          if (bytes.length === 0) return;
          bytes[at % bytes.length] ^= mask;
          const reader = new LogReader(bytes, { mode: 'skip-any-corrupted' });
          const got = [...reader];
          // Every record returned is one of the originals, in order.
          let next = 0;
          for (const r of got) {
            while (next < records.length && !equal(records[next], r)) next++;
            expect(next).toBeLessThan(records.length);
            next++;
          }
          if (got.length < records.length) expect(reader.dropped.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
