import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ByteReader,
  ByteWriter,
  bytewiseComparator,
  compareBytes,
  crc32c,
  crc32cExtend,
  decodeFixed64,
  InternalKeyComparator,
  isVelocityError,
  makeInternalKey,
  maskCrc,
  parseInternalKey,
  unmaskCrc,
  utf8,
  ValueKind,
  varintLength,
} from '../src/index.js';

const corrupt = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return isVelocityError(e, 'CORRUPTION');
  }
  return false;
};

describe('encodings', () => {
  it('round-trips every encoding', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ t: fc.constant('v32'), v: fc.nat({ max: 0xffff_ffff }) }),
            fc.record({ t: fc.constant('v64'), v: fc.maxSafeNat() }),
            fc.record({ t: fc.constant('f32'), v: fc.nat({ max: 0xffff_ffff }) }),
            fc.record({ t: fc.constant('f64'), v: fc.maxSafeNat() }),
            fc.record({ t: fc.constant('bytes'), v: fc.uint8Array({ maxLength: 300 }) }),
          ),
        ),
        (items) => {
          const w = new ByteWriter(1);
          for (const { t, v } of items) {
            if (t === 'v32') w.putVarint32(v as number);
            else if (t === 'v64') w.putVarint64(v as number);
            else if (t === 'f32') w.putFixed32(v as number);
            else if (t === 'f64') w.putFixed64(v as number);
            else w.putLengthPrefixed(v as Uint8Array);
          }
          const r = new ByteReader(w.finish());
          for (const { t, v } of items) {
            if (t === 'v32') expect(r.readVarint32()).toBe(v);
            else if (t === 'v64') expect(r.readVarint64()).toBe(v);
            else if (t === 'f32') expect(r.readFixed32()).toBe(v);
            else if (t === 'f64') expect(r.readFixed64()).toBe(v);
            else expect(r.readLengthPrefixed()).toEqual(v);
          }
          expect(r.remaining).toBe(0);
        },
      ),
    );
  });

  it('varints take the documented number of bytes', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (v) => {
        const w = new ByteWriter();
        w.putVarint64(v);
        expect(w.length).toBe(varintLength(v));
        expect(w.length).toBe(Math.max(1, Math.ceil(Math.log2(v + 1) / 7)));
      }),
    );
  });

  it('any truncation of encoded data raises CORRUPTION, never garbage', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.uint8Array({ minLength: 1, maxLength: 50 }), (v, bytes) => {
        const w = new ByteWriter();
        w.putVarint64(v).putLengthPrefixed(bytes).putFixed64(v);
        const full = w.finish();
        for (let cut = 0; cut < full.length; cut++) {
          const r = new ByteReader(full, 0, cut);
          expect(
            corrupt(() => {
              r.readVarint64();
              r.readLengthPrefixed();
              r.readFixed64();
            }),
          ).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('rejects overlong varints and out-of-range values', () => {
    expect(
      corrupt(() => new ByteReader(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).readVarint32()),
    ).toBe(true);
    expect(corrupt(() => new ByteReader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7f])).readVarint32())).toBe(
      true,
    );
    expect(corrupt(() => new ByteReader(new Uint8Array(11).fill(0x80)).readVarint64())).toBe(true);
    expect(corrupt(() => decodeFixed64(new Uint8Array(8).fill(0xff), 0))).toBe(true);
    expect(() => new ByteWriter().putVarint32(2 ** 32)).toThrow(RangeError);
  });
});

describe('compareBytes', () => {
  it('is memcmp order with shorter prefixes first', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 6 }), fc.uint8Array({ maxLength: 6 }), (a, b) => {
        const naive = Buffer.compare(Buffer.from(a), Buffer.from(b));
        expect(Math.sign(compareBytes(a, b))).toBe(naive);
      }),
    );
  });
});

describe('crc32c', () => {
  it('matches the standard test vectors', () => {
    expect(crc32c(utf8('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('extends piecewise to the same value, and masks reversibly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), (data, at) => {
        const cut = data.length === 0 ? 0 : at % data.length;
        expect(crc32cExtend(crc32c(data, 0, cut), data, cut)).toBe(crc32c(data));
        const c = crc32c(data);
        expect(unmaskCrc(maskCrc(c))).toBe(c);
        if (data.length > 0) expect(maskCrc(c)).not.toBe(c);
      }),
    );
  });
});

describe('comparators', () => {
  const key = fc.uint8Array({ maxLength: 6, max: 4 }).map((a) => a.map((x) => (x === 4 ? 0xff : x)));
  it('bytewise separators and successors stay in range', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        const [start, limit] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
        if (compareBytes(start, limit) === 0) return;
        const sep = bytewiseComparator.findShortestSeparator(start, limit);
        expect(compareBytes(start, sep)).toBeLessThanOrEqual(0);
        expect(compareBytes(sep, limit)).toBeLessThan(0);
        expect(compareBytes(bytewiseComparator.findShortSuccessor(a), a)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('internal keys order by user key, then newest first; separators stay in range', () => {
    const cmp = new InternalKeyComparator(bytewiseComparator);
    const ik = fc.tuple(key, fc.nat({ max: 1000 }), fc.constantFrom(ValueKind.Put, ValueKind.Delete));
    fc.assert(
      fc.property(ik, ik, ([ua, sa, ka], [ub, sb, kb]) => {
        const a = makeInternalKey(ua, sa, ka);
        const b = makeInternalKey(ub, sb, kb);
        const expected = compareBytes(ua, ub) || sb - sa || kb - ka;
        expect(Math.sign(cmp.compare(a, b))).toBe(Math.sign(expected));
        expect(parseInternalKey(a)).toEqual({ userKey: ua, sequence: sa, kind: ka });
        if (cmp.compare(a, b) < 0) {
          const sep = cmp.findShortestSeparator(a, b);
          expect(cmp.compare(a, sep)).toBeLessThanOrEqual(0);
          expect(cmp.compare(sep, b)).toBeLessThan(0);
        }
        expect(cmp.compare(cmp.findShortSuccessor(a), a)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
