import { ByteWriter, ValueKind, isVelocityError, makeInternalKey, toHex } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TableFile } from '../src/file-meta.js';
import { VersionEdit } from '../src/version-edit.js';

const arbFile = fc
  .record({
    id: fc.integer({ min: 1, max: 2 ** 40 }),
    size: fc.integer({ min: 0, max: 2 ** 40 }),
    a: fc.uint8Array({ maxLength: 12 }),
    b: fc.uint8Array({ maxLength: 12 }),
    s1: fc.integer({ min: 0, max: 2 ** 50 }),
    s2: fc.integer({ min: 0, max: 2 ** 50 }),
    entries: fc.nat(),
    tombstones: fc.nat(),
  })
  .map(
    (r) =>
      new TableFile({
        id: r.id,
        size: r.size,
        smallest: makeInternalKey(r.a, r.s1, ValueKind.Put),
        largest: makeInternalKey(r.b, r.s2, ValueKind.Delete),
        smallestSequence: Math.min(r.s1, r.s2),
        largestSequence: Math.max(r.s1, r.s2),
        entries: r.entries,
        tombstones: r.tombstones,
      }),
  );

function describeEdit(e: VersionEdit): unknown {
  return {
    comparatorName: e.comparatorName,
    logNumber: e.logNumber,
    nextFileNumber: e.nextFileNumber,
    lastSequence: e.lastSequence,
    pointers: e.compactPointers.map((p) => [p.level, toHex(p.key)]),
    deleted: e.deletedFiles,
    added: e.newFiles.map(({ level, file }) => [
      level,
      file.id,
      file.size,
      toHex(file.smallest),
      toHex(file.largest),
      file.smallestSequence,
      file.largestSequence,
      file.entries,
      file.tombstones,
    ]),
  };
}

describe('VersionEdit', () => {
  it('round-trips every field', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
        fc.array(fc.record({ level: fc.nat(10), number: fc.nat() }), { maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(10), arbFile), { maxLength: 5 }),
        (comparator, log, next, last, deleted, added) => {
          const e = new VersionEdit();
          e.comparatorName = comparator;
          e.logNumber = log;
          e.nextFileNumber = next;
          e.lastSequence = last;
          for (const d of deleted) e.deleteFile(d.level, d.number);
          for (const [level, f] of added) e.addFile(level, f);
          const decoded = VersionEdit.decode(e.encode());
          expect(describeEdit(decoded)).toEqual(describeEdit(e));
        },
      ),
    );
  });

  it('skips unknown optional tags and rejects unknown required ones', () => {
    const base = new VersionEdit();
    base.logNumber = 7;
    const optional = new ByteWriter()
      .putBytes(base.encode())
      .putVarint32(99)
      .putLengthPrefixed(new Uint8Array([1, 2]));
    expect(VersionEdit.decode(optional.finish()).logNumber).toBe(7);
    const required = new ByteWriter()
      .putBytes(base.encode())
      .putVarint32(40)
      .putLengthPrefixed(new Uint8Array([1]));
    expect(() => VersionEdit.decode(required.finish())).toThrow(/tag 40/);
  });

  it('reports truncation as CORRUPTION', () => {
    const e = new VersionEdit();
    e.addFile(
      1,
      new TableFile({
        id: 5,
        size: 100,
        smallest: makeInternalKey(new Uint8Array([1]), 1, 1),
        largest: makeInternalKey(new Uint8Array([2]), 2, 1),
        smallestSequence: 1,
        largestSequence: 2,
        entries: 2,
        tombstones: 0,
      }),
    );
    const bytes = e.encode();
    for (let n = 1; n < bytes.length; n++) {
      let error: unknown;
      try {
        VersionEdit.decode(bytes.subarray(0, n));
      } catch (err) {
        error = err;
      }
      expect(isVelocityError(error, 'CORRUPTION')).toBe(true);
    }
  });
});
