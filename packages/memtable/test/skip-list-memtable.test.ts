import {
  bytewiseComparator,
  compareBytes,
  extractSequence,
  InternalKeyComparator,
  MAX_SEQUENCE,
  makeInternalKey,
  parseInternalKey,
  toHex,
  utf8,
  ValueKind,
} from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { RandomHeight } from '../src/random-height.js';
import { SkipListMemTable } from '../src/index.js';
import { reverseComparator, scanForward } from './model.js';

const invalid = expect.objectContaining({ name: 'VelocityError', code: 'INVALID_ARGUMENT' });

describe('SkipListMemTable', () => {
  it('starts empty', () => {
    const mem = new SkipListMemTable();
    expect(mem.count).toBe(0);
    expect(mem.get(utf8('a'), MAX_SEQUENCE)).toBeUndefined();
    const it = mem.iterator();
    expect(it.valid()).toBe(false);
    it.seekToFirst();
    expect(it.valid()).toBe(false);
    it.seekToLast();
    expect(it.valid()).toBe(false);
    it.seek(makeInternalKey(utf8('a'), 1, ValueKind.Put));
    expect(it.valid()).toBe(false);
    expect(mem.approximateMemoryUsage()).toBeGreaterThan(0);
  });

  it('returns the newest version at or below the read sequence', () => {
    const mem = new SkipListMemTable();
    mem.add(5, ValueKind.Put, utf8('k'), utf8('v5'));
    mem.add(9, ValueKind.Delete, utf8('k'), utf8('ignored'));
    mem.add(7, ValueKind.Put, utf8('k'), utf8('v7'));
    mem.add(6, ValueKind.Put, utf8('j'), utf8('j6'));
    expect(mem.get(utf8('k'), 4)).toBeUndefined();
    expect(mem.get(utf8('k'), 5)).toEqual({ kind: 'put', value: utf8('v5'), sequence: 5 });
    expect(mem.get(utf8('k'), 6)).toEqual({ kind: 'put', value: utf8('v5'), sequence: 5 });
    expect(mem.get(utf8('k'), 8)).toEqual({ kind: 'put', value: utf8('v7'), sequence: 7 });
    expect(mem.get(utf8('k'), MAX_SEQUENCE)).toEqual({ kind: 'delete', sequence: 9 });
    expect(mem.get(utf8('kk'), MAX_SEQUENCE)).toBeUndefined();
    expect(mem.get(utf8(''), MAX_SEQUENCE)).toBeUndefined();
    expect(mem.count).toBe(4);
  });

  it('orders internal keys: user key ascending, then sequence descending', () => {
    const mem = new SkipListMemTable();
    mem.add(1, ValueKind.Put, utf8('b'), utf8('b1'));
    mem.add(3, ValueKind.Put, utf8('a'), utf8('a3'));
    mem.add(2, ValueKind.Delete, utf8('b'), new Uint8Array(0));
    mem.add(4, ValueKind.Put, utf8('a'), utf8('a4'));
    const seen = scanForward(mem.iterator()).map(([k, v]) => {
      const p = parseInternalKey(k);
      return `${new TextDecoder().decode(p.userKey)}@${p.sequence}:${p.kind}=${new TextDecoder().decode(v)}`;
    });
    expect(seen).toEqual(['a@4:1=a4', 'a@3:1=a3', 'b@2:0=', 'b@1:1=b1']);
  });

  it('uses the user comparator it was given', () => {
    const mem = new SkipListMemTable(reverseComparator);
    for (const [i, k] of ['a', 'c', 'b'].entries()) mem.add(i + 1, ValueKind.Put, utf8(k), utf8(k));
    const keys = scanForward(mem.iterator()).map(([k]) =>
      new TextDecoder().decode(parseInternalKey(k).userKey),
    );
    expect(keys).toEqual(['c', 'b', 'a']);
    expect(mem.get(utf8('b'), 10)).toEqual({ kind: 'put', value: utf8('b'), sequence: 3 });
    expect(mem.userComparator).toBe(reverseComparator);
  });

  it('copies keys and values: callers may reuse their arrays', () => {
    const mem = new SkipListMemTable();
    const key = utf8('key');
    const value = utf8('value');
    mem.add(1, ValueKind.Put, key, value);
    key.fill(0);
    value.fill(0);
    expect(mem.get(utf8('key'), 1)).toEqual({ kind: 'put', value: utf8('value'), sequence: 1 });
    expect(mem.get(key, 1)).toBeUndefined();
  });

  it('stores deletions with an empty value', () => {
    const mem = new SkipListMemTable();
    mem.add(1, ValueKind.Delete, utf8('k'), utf8('not stored'));
    const it = mem.iterator();
    it.seekToFirst();
    expect(it.value().length).toBe(0);
    expect(toHex(it.key())).toBe(toHex(makeInternalKey(utf8('k'), 1, ValueKind.Delete)));
  });

  it('rejects a repeated (user key, sequence) pair, bad sequences and bad kinds', () => {
    const mem = new SkipListMemTable();
    mem.add(7, ValueKind.Put, utf8('k'), utf8('v'));
    expect(() => mem.add(7, ValueKind.Put, utf8('k'), utf8('w'))).toThrow(invalid);
    expect(() => mem.add(7, ValueKind.Delete, utf8('k'), utf8(''))).toThrow(invalid);
    mem.add(7, ValueKind.Put, utf8('other'), utf8('same sequence, other key is fine'));
    for (const bad of [-1, 1.5, Number.NaN, MAX_SEQUENCE + 2, Number.POSITIVE_INFINITY]) {
      expect(() => mem.add(bad, ValueKind.Put, utf8('x'), utf8(''))).toThrow(invalid);
    }
    expect(() => mem.add(8, 3 as ValueKind, utf8('x'), utf8(''))).toThrow(invalid);
    expect(mem.count).toBe(2);
  });

  it('accepts the extreme sequence numbers and empty keys', () => {
    const mem = new SkipListMemTable();
    mem.add(MAX_SEQUENCE, ValueKind.Put, new Uint8Array(0), utf8('max'));
    mem.add(0, ValueKind.Put, new Uint8Array(0), utf8('zero'));
    expect(mem.get(new Uint8Array(0), MAX_SEQUENCE)?.sequence).toBe(MAX_SEQUENCE);
    expect(mem.get(new Uint8Array(0), MAX_SEQUENCE - 1)?.sequence).toBe(0);
    const it = mem.iterator();
    it.seekToFirst();
    expect(extractSequence(it.key())).toBe(MAX_SEQUENCE);
  });

  it('keeps values of every size, across arena chunks and in dedicated chunks', () => {
    const mem = new SkipListMemTable();
    const sizes = [0, 1, 100, 4000, 5000, 70_000, 300_000, 1_500_000, 10];
    sizes.forEach((size, i) => {
      mem.add(i + 1, ValueKind.Put, utf8(`key${i}`), new Uint8Array(size).fill(i + 1));
    });
    sizes.forEach((size, i) => {
      const got = mem.get(utf8(`key${i}`), 100);
      expect(got?.kind).toBe('put');
      const value = got?.kind === 'put' ? got.value : new Uint8Array(1);
      expect(value.length).toBe(size);
      expect(value.every((b) => b === i + 1)).toBe(true);
    });
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(mem.approximateMemoryUsage()).toBeGreaterThanOrEqual(total);
    expect(mem.approximateMemoryUsage()).toBeLessThan(total + 4 * 1024 * 1024);
  });

  it('grows its estimate with the data and stays within a sane factor of it', () => {
    const mem = new SkipListMemTable();
    const empty = mem.approximateMemoryUsage();
    let bytes = 0;
    for (let i = 0; i < 20_000; i++) {
      const key = utf8(`key-${i * 7919}`);
      mem.add(i, ValueKind.Put, key, new Uint8Array(100));
      bytes += key.length + 100;
    }
    const used = mem.approximateMemoryUsage();
    expect(used).toBeGreaterThan(empty + bytes);
    expect(used).toBeLessThan(bytes * 2 + 100_000);
  });

  it('caches key() and value() per position', () => {
    const mem = new SkipListMemTable();
    mem.add(1, ValueKind.Put, utf8('a'), utf8('1'));
    mem.add(2, ValueKind.Put, utf8('b'), utf8('2'));
    const it = mem.iterator();
    it.seekToFirst();
    const k = it.key();
    expect(it.key()).toBe(k);
    expect(it.value()).toBe(it.value());
    it.next();
    expect(it.key()).not.toBe(k);
    expect(toHex(it.key())).toBe(toHex(makeInternalKey(utf8('b'), 2, ValueKind.Put)));
  });

  it('iterator methods that need a position throw INVALID_ARGUMENT when not valid', () => {
    const mem = new SkipListMemTable();
    const it = mem.iterator();
    expect(() => it.next()).toThrow(invalid);
    expect(() => it.prev()).toThrow(invalid);
    expect(() => it.key()).toThrow(invalid);
    expect(() => it.value()).toThrow(invalid);
    expect(() => it.seek(new Uint8Array(7))).toThrow(invalid);
    it.close?.();
  });

  it('an iterator sees entries added before and after its position', () => {
    const mem = new SkipListMemTable();
    mem.add(1, ValueKind.Put, utf8('b'), utf8('b'));
    mem.add(2, ValueKind.Put, utf8('d'), utf8('d'));
    const it = mem.iterator();
    it.seek(makeInternalKey(utf8('b'), MAX_SEQUENCE, ValueKind.Put));
    mem.add(3, ValueKind.Put, utf8('c'), utf8('c'));
    mem.add(4, ValueKind.Put, utf8('a'), utf8('a'));
    mem.add(5, ValueKind.Put, utf8('e'), utf8('e'));
    const names = (bytes: Uint8Array) => new TextDecoder().decode(parseInternalKey(bytes).userKey);
    expect(names(it.key())).toBe('b');
    it.prev();
    expect(names(it.key())).toBe('a');
    const forward: string[] = [];
    for (; it.valid(); it.next()) forward.push(names(it.key()));
    expect(forward).toEqual(['a', 'b', 'c', 'd', 'e']);
    it.seekToLast();
    expect(names(it.key())).toBe('e');
  });
});

describe('SkipListMemTable at scale', () => {
  it('holds 50k random entries in order (vs Array.sort) and finds each by get and seek', () => {
    const mem = new SkipListMemTable();
    const icmp = new InternalKeyComparator(bytewiseComparator);
    let state = 12345;
    const rand = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const entries: { key: Uint8Array; ikey: Uint8Array; seq: number; value: Uint8Array }[] = [];
    for (let seq = 1; seq <= 50_000; seq++) {
      const key = new Uint8Array(1 + (rand() % 20)).map(() => rand() % 4); // many shared prefixes
      const value = new Uint8Array(rand() % 50).fill(seq & 0xff);
      mem.add(seq, ValueKind.Put, key, value);
      entries.push({ key, ikey: makeInternalKey(key, seq, ValueKind.Put), seq, value });
    }
    entries.sort((a, b) => icmp.compare(a.ikey, b.ikey));
    const it = mem.iterator();
    let i = 0;
    let mismatches = 0;
    for (it.seekToFirst(); it.valid(); it.next(), i++) {
      if (compareBytes(it.key(), entries[i].ikey) !== 0 || compareBytes(it.value(), entries[i].value) !== 0) {
        mismatches++;
      }
    }
    expect(i).toBe(entries.length);
    for (it.seekToLast(); it.valid(); it.prev())
      if (compareBytes(it.key(), entries[--i].ikey) !== 0) mismatches++;
    expect(i).toBe(0);
    for (const [index, e] of entries.entries()) {
      // The newest version of e.key is the first entry of its run in internal order.
      const newest = index === 0 || compareBytes(entries[index - 1].key, e.key) !== 0;
      const got = mem.get(e.key, e.seq);
      if (got?.sequence !== e.seq) mismatches++;
      if (newest && mem.get(e.key, MAX_SEQUENCE)?.sequence !== e.seq) mismatches++;
      it.seek(e.ikey);
      if (!it.valid() || compareBytes(it.key(), e.ikey) !== 0) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});

describe('RandomHeight', () => {
  it('is deterministic, within 1..12, and about 3/4 of heights are 1 (branching 4)', () => {
    const a = new RandomHeight();
    const b = new RandomHeight();
    const counts = new Array(13).fill(0);
    let mismatches = 0;
    for (let i = 0; i < 100_000; i++) {
      const h = a.next();
      if (h !== b.next()) mismatches++;
      counts[h]++;
    }
    expect(mismatches).toBe(0);
    expect(counts[0]).toBe(0);
    expect(counts[1] / 100_000).toBeCloseTo(0.75, 1);
    expect(counts[2] / 100_000).toBeCloseTo(0.1875, 1);
    expect(counts.slice(1).reduce((x, y) => x + y, 0)).toBe(100_000);
  });
});
