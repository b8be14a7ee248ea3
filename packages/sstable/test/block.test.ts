import {
  InternalKeyComparator,
  ValueKind,
  bytewiseComparator,
  compareBytes,
  isVelocityError,
  makeInternalKey,
} from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Block } from '../src/block.js';
import { BlockBuilder } from '../src/block-builder.js';
import { type Entry, entriesArb, lowerBound } from './helpers.js';

function buildBlock(entries: readonly Entry[], restartInterval: number): Uint8Array {
  const builder = new BlockBuilder(restartInterval);
  for (const [k, v] of entries) builder.add(k, v);
  return builder.finish();
}

describe('data blocks', () => {
  it('prefix compression and restart points round-trip; seek/next/prev follow the model', () => {
    fc.assert(
      fc.property(
        entriesArb,
        fc.integer({ min: 1, max: 20 }),
        fc.array(
          fc.tuple(fc.uint8Array({ maxLength: 15, max: 7 }), fc.array(fc.boolean(), { maxLength: 6 })),
        ),
        (entries, interval, seeks) => {
          const contents = buildBlock(entries, interval);
          const block = new Block(contents);
          expect(block.numRestarts).toBe(Math.max(1, Math.ceil(entries.length / interval)));
          const it = block.iterator(bytewiseComparator);
          const forward: Entry[] = [];
          for (it.seekToFirst(); it.valid(); it.next()) forward.push([it.key().slice(), it.value().slice()]);
          expect(forward).toEqual(entries);
          const backward: Entry[] = [];
          for (it.seekToLast(); it.valid(); it.prev()) backward.push([it.key().slice(), it.value().slice()]);
          expect(backward).toEqual([...entries].reverse());
          for (const [target, moves] of seeks) {
            it.seek(target);
            let i = lowerBound(entries, target);
            for (const forwardMove of [...moves, false]) {
              if (i < 0 || i >= entries.length) {
                expect(it.valid()).toBe(false);
                break;
              }
              expect(it.key()).toEqual(entries[i][0]);
              expect(it.value()).toEqual(entries[i][1]);
              if (forwardMove) it.next();
              else it.prev();
              i += forwardMove ? 1 : -1;
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('seeks internal keys (bytewise user keys + trailer) to the first entry >= the target', () => {
    const icmp = new InternalKeyComparator(bytewiseComparator);
    const internalKey = fc
      .tuple(
        fc.uint8Array({ maxLength: 8, max: 3 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(ValueKind.Put, ValueKind.Delete),
      )
      .map(([user, sequence, kind]) => makeInternalKey(user, sequence, kind));
    fc.assert(
      fc.property(
        fc.uniqueArray(internalKey, { maxLength: 120, selector: (k) => k.join(',') }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(internalKey, { maxLength: 30 }),
        (keys, interval, targets) => {
          keys.sort((a, b) => icmp.compare(a, b));
          const builder = new BlockBuilder(interval);
          for (const k of keys) builder.add(k, k.subarray(0, 1));
          const it = new Block(builder.finish()).iterator(icmp);
          for (const target of [...targets, ...keys]) {
            it.seek(target);
            const expected = keys.findIndex((k) => icmp.compare(k, target) >= 0);
            if (expected < 0) expect(it.valid()).toBe(false);
            else expect(it.key()).toEqual(keys[expected]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('seeks among keys that share long prefixes, as zero-padded decimal keys do', () => {
    const encoder = new TextEncoder();
    const keys = Array.from({ length: 500 }, (_, i) => encoder.encode(String(i * 7).padStart(16, '0')));
    const builder = new BlockBuilder(16);
    for (const k of keys) builder.add(k, new Uint8Array(0));
    const it = new Block(builder.finish()).iterator(bytewiseComparator);
    for (let t = -1; t < 500 * 7 + 2; t++) {
      const target = encoder.encode(t < 0 ? '' : String(t).padStart(16, '0'));
      it.seek(target);
      const expected = keys.findIndex((k) => compareBytes(k, target) >= 0);
      if (expected < 0) expect(it.valid()).toBe(false);
      else expect(it.key()).toEqual(keys[expected]);
    }
  });

  it('shares key prefixes: a block of sorted similar keys is much smaller than the keys', () => {
    const entries: Entry[] = Array.from({ length: 100 }, (_, i) => [
      new TextEncoder().encode(`a/long/common/prefix/${String(i).padStart(4, '0')}`),
      new Uint8Array(0),
    ]);
    const raw = entries.reduce((s, [k]) => s + k.length, 0);
    expect(buildBlock(entries, 16).length).toBeLessThan(raw / 3);
  });

  it('a malformed block raises CORRUPTION (never another error, never a hang)', () => {
    fc.assert(
      fc.property(
        entriesArb,
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255))),
        (entries, interval, edits) => {
          const contents = buildBlock(entries, interval);
          for (const [at, value] of edits) contents[at % contents.length] = value;
          try {
            const it = new Block(contents).iterator(bytewiseComparator);
            let steps = 0;
            for (it.seekToFirst(); it.valid() && steps < 10_000; it.next()) steps++;
            for (it.seekToLast(); it.valid() && steps < 20_000; it.prev()) steps++;
            it.seek(new Uint8Array([3]));
            expect(steps).toBeLessThan(20_000);
          } catch (error) {
            expect(isVelocityError(error, 'CORRUPTION')).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a block shorter than its restart count, or with an impossible count', () => {
    for (const bytes of [
      new Uint8Array(3),
      new Uint8Array([0, 0, 0, 0]),
      new Uint8Array([9, 0, 0, 0, 0, 0, 0, 0]),
    ]) {
      expect(() => new Block(bytes)).toThrowError(/restart/);
    }
    expect(compareBytes(new Uint8Array(0), new Uint8Array(0))).toBe(0);
  });
});
