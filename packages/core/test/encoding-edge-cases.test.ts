// Input checks of core's encodings and the empty iterator: each refuses what it cannot represent with
// the error its contract names (RangeError for a caller's out-of-range number or bad hex, CORRUPTION
// for bytes read back that cannot be an internal key).
import { describe, expect, it } from 'vitest';
import {
  ByteWriter,
  EmptyIterator,
  ValueKind,
  extractKind,
  extractUserKey,
  fromHex,
  makeInternalKey,
  toBytes,
  toHex,
  utf8,
} from '../src/index.js';

describe('bytes', () => {
  it('toBytes encodes strings as UTF-8 and passes byte arrays through as they are', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(toBytes(bytes)).toBe(bytes);
    expect([...toBytes('é')]).toEqual([0xc3, 0xa9]);
  });

  it('fromHex parses either case and refuses odd lengths and non-hex digits', () => {
    expect([...fromHex('00fFa0')]).toEqual([0, 255, 160]);
    expect(toHex(fromHex('0a0B'))).toBe('0a0b');
    for (const bad of ['abc', 'zz', '0x00', ' 1']) expect(() => fromHex(bad)).toThrow(RangeError);
  });
});

describe('coding', () => {
  it('putVarint64 refuses negative, fractional and unsafe integers', () => {
    const writer = new ByteWriter();
    for (const bad of [-1, 1.5, 2 ** 53, Number.NaN]) {
      expect(() => writer.putVarint64(bad)).toThrow(RangeError);
    }
    expect(writer.putVarint64(2 ** 53 - 1).finish().length).toBe(8);
  });
});

describe('internal keys', () => {
  it('refuses keys shorter than the trailer and unknown kinds as CORRUPTION', () => {
    expect(() => extractUserKey(new Uint8Array(7))).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
    const key = makeInternalKey(utf8('k'), 5, ValueKind.Put);
    expect(extractKind(key)).toBe(ValueKind.Put);
    key[1] = 0x7f; // the kind byte follows the user key
    expect(() => extractKind(key)).toThrow(expect.objectContaining({ code: 'CORRUPTION' }));
  });
});

describe('EmptyIterator', () => {
  it('is never valid, and refuses to move or read', () => {
    const it = new EmptyIterator();
    it.seekToFirst();
    it.seekToLast();
    it.seek(utf8('x'));
    expect(it.valid()).toBe(false);
    for (const call of [() => it.next(), () => it.prev(), () => it.key(), () => it.value()]) {
      expect(call).toThrow(/not valid/);
    }
    it.close();
  });

  it('with an error, throws it from every positioning call', () => {
    const error = new Error('broken table');
    const it = new EmptyIterator(error);
    expect(() => it.seekToFirst()).toThrow(error);
    expect(() => it.seekToLast()).toThrow(error);
    expect(() => it.seek(utf8('x'))).toThrow(error);
    expect(it.valid()).toBe(false);
  });
});
