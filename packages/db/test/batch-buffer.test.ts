import {
  ValueKind,
  bytewiseComparator,
  fromHex,
  isVelocityError,
  makeInternalKey,
  toHex,
  utf8,
} from '@velocity/core';
import { SkipListMemTable } from '@velocity/memtable';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_HEADER_SIZE, BatchBuffer, applyBatch, readBatchHeader } from '../src/batch-buffer.js';
import { MAX_KEY_SIZE } from '../src/input.js';

describe('BatchBuffer', () => {
  it('encodes LevelDB WriteBatch layout', () => {
    const b = new BatchBuffer();
    b.put('a', 'xy');
    b.del(new Uint8Array([0xff]));
    const data = b.seal(0x0102);
    // sequence fixed64 | count fixed32 | 01 len 'a' len 'xy' | 00 len ff
    expect(toHex(data)).toBe('0201000000000000' + '02000000' + '010161027879' + '0001ff');
    expect(readBatchHeader(data)).toEqual({ sequence: 0x0102, count: 2 });
  });

  it('encodes strings in place, with multi-byte characters and long strings', () => {
    const b = new BatchBuffer(64);
    const long = 'é'.repeat(100); // 200 bytes, varint prefix of 2 bytes
    b.put('ключ', long);
    const data = b.seal(1);
    const mem = new SkipListMemTable();
    expect(applyBatch(data, data.length, mem)).toBe(1);
    const found = mem.get(utf8('ключ'), 1);
    expect(found?.kind).toBe('put');
    expect(found?.kind === 'put' && toHex(found.value)).toBe(toHex(utf8(long)));
    expect(b.payloadBytes).toBe(utf8('ключ').length + 200);
  });

  it('rolls back a rejected record and keeps earlier ones', () => {
    const b = new BatchBuffer();
    b.put('a', '1');
    const len = b.length;
    let error: unknown;
    try {
      b.put(new Uint8Array(MAX_KEY_SIZE + 1), 'v');
    } catch (e) {
      error = e;
    }
    expect(isVelocityError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(b.length).toBe(len);
    expect(b.count).toBe(1);
  });

  it('round-trips random batches into a memtable', () => {
    const op = fc.record({
      del: fc.boolean(),
      key: fc.oneof(fc.uint8Array({ maxLength: 20 }), fc.string({ maxLength: 20 })),
      value: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 100 })),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.integer({ min: 1, max: 2 ** 40 }), (ops, seq) => {
        const b = new BatchBuffer(16);
        for (const o of ops) {
          if (o.del) b.del(o.key);
          else b.put(o.key, o.value);
        }
        const data = b.seal(seq);
        const mem = new SkipListMemTable(bytewiseComparator);
        expect(applyBatch(data, data.length, mem)).toBe(ops.length);
        const it = mem.iterator();
        const seen = new Map<string, string>();
        for (it.seekToFirst(); it.valid(); it.next()) seen.set(toHex(it.key()), toHex(it.value()));
        ops.forEach((o, i) => {
          const k = typeof o.key === 'string' ? utf8(o.key) : o.key;
          const v = typeof o.value === 'string' ? utf8(o.value) : o.value;
          const ik = makeInternalKey(k, seq + i, o.del ? ValueKind.Delete : ValueKind.Put);
          expect(seen.get(toHex(ik))).toBe(o.del ? '' : toHex(v));
        });
      }),
    );
  });

  it('reports malformed batches as CORRUPTION', () => {
    const cases = [
      fromHex('0100000000000000'), // short header
      fromHex('010000000000000001000000'), // count 1, no records
      fromHex('01000000000000000100000001056162'), // key length past end
      fromHex('01000000000000000100000007016161'), // unknown kind
      fromHex('0100000000000000020000000101610100'), // count 2, one record
    ];
    for (const data of cases) {
      let error: unknown;
      try {
        applyBatch(data, data.length, undefined);
      } catch (e) {
        error = e;
      }
      expect(isVelocityError(error, 'CORRUPTION')).toBe(true);
    }
    expect(BATCH_HEADER_SIZE).toBe(12);
  });
});
