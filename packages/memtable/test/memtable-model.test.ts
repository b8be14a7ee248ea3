import { type Comparator, makeInternalKey, MAX_SEQUENCE, toHex, utf8, ValueKind } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkipListMemTable } from '../src/index.js';
import { addsArb, reverseComparator, SortedModel, scanBackward, scanForward, userKeyArb } from './model.js';

const hex = (pairs: [Uint8Array, Uint8Array][]) => pairs.map(([k, v]) => `${toHex(k)}=${toHex(v)}`);

function build(
  user: Comparator,
  adds: { sequence: number; kind: ValueKind; userKey: Uint8Array; value: Uint8Array }[],
) {
  const mem = new SkipListMemTable(user);
  const model = new SortedModel(user);
  for (const a of adds) {
    mem.add(a.sequence, a.kind, a.userKey, a.value);
    model.add(a.sequence, a.kind, a.userKey, a.value);
  }
  return { mem, model };
}

for (const [label, user] of [
  ['bytewise', undefined],
  ['custom (reversed) comparator', reverseComparator],
] as const) {
  const comparator = user ?? new SortedModel().user;

  describe(`SkipListMemTable vs a sorted model, ${label}`, () => {
    it('iterates in the same order, forward and backward', () => {
      fc.assert(
        fc.property(addsArb(), (adds) => {
          const { mem, model } = build(comparator, adds);
          expect(mem.count).toBe(model.entries.length);
          const expected = model.entries.map((e): [Uint8Array, Uint8Array] => [e.internalKey, e.value]);
          expect(hex(scanForward(mem.iterator()))).toEqual(hex(expected));
          expect(hex(scanBackward(mem.iterator()))).toEqual(hex(expected.slice().reverse()));
        }),
        { numRuns: 200 },
      );
    });

    it('answers gets like the model at every interesting sequence number', () => {
      fc.assert(
        fc.property(addsArb(), fc.array(userKeyArb, { maxLength: 5 }), (adds, extraKeys) => {
          const { mem, model } = build(comparator, adds);
          const keys = [...model.entries.map((e) => e.userKey), ...extraKeys, utf8('zz'), new Uint8Array(0)];
          const seqs = new Set([0, 1, MAX_SEQUENCE]);
          for (const e of model.entries)
            for (const d of [-1, 0, 1]) if (e.sequence + d >= 0) seqs.add(e.sequence + d);
          for (const key of keys) {
            for (const s of seqs) {
              const want = model.get(key, s);
              const got = mem.get(key, s);
              if (want === undefined) {
                expect(got).toBeUndefined();
              } else if (want.kind === ValueKind.Put) {
                expect(got).toEqual({ kind: 'put', value: want.value, sequence: want.sequence });
              } else {
                expect(got).toEqual({ kind: 'delete', sequence: want.sequence });
              }
            }
          }
        }),
        { numRuns: 150 },
      );
    });

    it('seeks to every boundary like the model, then steps both ways', () => {
      fc.assert(
        fc.property(
          addsArb(40),
          fc.array(
            fc.tuple(userKeyArb, fc.integer({ min: 0, max: 1001 }), fc.integer({ min: 0, max: 255 })),
            {
              maxLength: 10,
            },
          ),
          (adds, randomTargets) => {
            const { mem, model } = build(comparator, adds);
            const targets: Uint8Array[] = [
              makeInternalKey(new Uint8Array(0), MAX_SEQUENCE, ValueKind.Put), // before first (bytewise)
              makeInternalKey(new Uint8Array(0), 0, ValueKind.Delete),
              makeInternalKey(utf8('dddd'), 0, ValueKind.Delete), // after last (bytewise)
              makeInternalKey(utf8('dddd'), MAX_SEQUENCE, ValueKind.Put),
              makeInternalKey(utf8('`'), 5, ValueKind.Put),
              makeInternalKey(new Uint8Array(13).fill(0xff), 0, ValueKind.Delete), // after last (bytewise)
            ];
            for (const e of model.entries) {
              targets.push(e.internalKey); // each key
              targets.push(makeInternalKey(e.userKey, e.sequence + 1, ValueKind.Delete)); // between versions
              if (e.sequence > 0) targets.push(makeInternalKey(e.userKey, e.sequence - 1, ValueKind.Put));
              targets.push(makeInternalKey(e.userKey, e.sequence, (1 - e.kind) as ValueKind)); // same seq, other kind
              targets.push(makeInternalKey(new Uint8Array([...e.userKey, 0]), MAX_SEQUENCE, ValueKind.Put));
            }
            for (const [k, s, kind] of randomTargets) {
              const t = makeInternalKey(k, s, ValueKind.Put);
              t[k.length] = kind; // any trailer byte, not only valid kinds
              targets.push(t);
            }
            const it = mem.iterator();
            for (const target of targets) {
              const at = model.lowerBound(target);
              it.seek(target);
              if (at === model.entries.length) {
                expect(it.valid()).toBe(false);
                continue;
              }
              expect(toHex(it.key())).toBe(toHex(model.entries[at].internalKey));
              expect(toHex(it.value())).toBe(toHex(model.entries[at].value));
              it.next();
              if (at + 1 < model.entries.length)
                expect(toHex(it.key())).toBe(toHex(model.entries[at + 1].internalKey));
              else expect(it.valid()).toBe(false);
              it.seek(target);
              it.prev();
              if (at > 0) expect(toHex(it.key())).toBe(toHex(model.entries[at - 1].internalKey));
              else expect(it.valid()).toBe(false);
            }
          },
        ),
        { numRuns: 150 },
      );
    });

    it('keeps an iterator valid and ordered while entries are added (interleaved)', () => {
      const op = fc.oneof(
        addsArb(1).map((a) => ({ type: 'add' as const, ...a[0] })),
        fc.constantFrom({ type: 'next' as const }, { type: 'prev' as const }),
        fc.constantFrom({ type: 'first' as const }, { type: 'last' as const }),
        fc.tuple(userKeyArb, fc.integer({ min: 0, max: 1000 })).map(([k, s]) => ({
          type: 'seek' as const,
          target: makeInternalKey(k, s, ValueKind.Put),
        })),
      );
      fc.assert(
        fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
          const mem = new SkipListMemTable(comparator);
          const model = new SortedModel(comparator);
          const it = mem.iterator();
          let pos: Uint8Array | undefined; // internal key the iterator should be at
          const used = new Set<number>();
          for (const o of ops) {
            if (o.type === 'add') {
              if (o.kind === undefined || used.has(o.sequence)) continue;
              used.add(o.sequence);
              mem.add(o.sequence, o.kind, o.userKey, o.value);
              model.add(o.sequence, o.kind, o.userKey, o.value);
            } else if (o.type === 'first' || o.type === 'last') {
              if (o.type === 'first') it.seekToFirst();
              else it.seekToLast();
              const e = o.type === 'first' ? model.entries[0] : model.entries[model.entries.length - 1];
              pos = e?.internalKey;
            } else if (o.type === 'seek') {
              it.seek(o.target);
              pos = model.entries[model.lowerBound(o.target)]?.internalKey;
            } else {
              if (pos === undefined) continue; // stepping needs a valid position
              const i = model.indexOf(pos);
              if (o.type === 'next') it.next();
              else it.prev();
              pos = model.entries[o.type === 'next' ? i + 1 : i - 1]?.internalKey;
            }
            expect(it.valid()).toBe(pos !== undefined);
            if (pos !== undefined) {
              expect(toHex(it.key())).toBe(toHex(pos));
              expect(toHex(it.value())).toBe(toHex(model.entries[model.indexOf(pos)].value));
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  });
}
