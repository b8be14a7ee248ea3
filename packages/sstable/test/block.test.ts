import { bytewiseComparator, compareBytes, isVelocityError } from '@velocity/core';
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
