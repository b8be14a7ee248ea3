import { ValueKind, utf8, withExpiry } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { SkipListMemTable } from '../src/index.js';

describe('puts with expiry in the memtable', () => {
  it('are found with their expiry time and the value without its prefix; iterators show the stored form', () => {
    const mem = new SkipListMemTable();
    mem.add(1, ValueKind.Put, utf8('k'), utf8('plain'));
    mem.add(2, ValueKind.PutWithExpiry, utf8('k'), withExpiry(utf8('v'), 1234));
    expect(mem.get(utf8('k'), 2)).toEqual({ kind: 'put', value: utf8('v'), sequence: 2, expiresAt: 1234 });
    expect(mem.get(utf8('k'), 1)).toEqual({ kind: 'put', value: utf8('plain'), sequence: 1 });
    const it = mem.iterator();
    it.seekToFirst();
    expect(it.value()).toEqual(withExpiry(utf8('v'), 1234));
  });

  it('refuse a stored value shorter than the expiry prefix', () => {
    const mem = new SkipListMemTable();
    expect(() => mem.add(1, ValueKind.PutWithExpiry, utf8('k'), new Uint8Array(3))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
