import {
  InternalKeyComparator,
  KIND_FOR_SEEK,
  MemoryFileSystem,
  ValueKind,
  bytewiseComparator,
  compareBytes,
  makeInternalKey,
} from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKey, hashSlotsFor } from '../src/key-hash-index.js';
import { type TableHit, TableReader, lz4Codec, noCompression } from '../src/index.js';
import {
  type Entry,
  attempt,
  buildTable,
  builderOptions,
  configArb,
  entriesArb,
  flip,
  isCorruption,
  probesArb,
  readerOptions,
} from './helpers.js';

const icmp = new InternalKeyComparator(bytewiseComparator);

/** A copy of a hit's key and value (hits are re-used by the next call). */
function copied(hit: TableHit | undefined): Entry | undefined {
  return hit === undefined ? undefined : [hit.key().slice(), hit.value().slice()];
}

/**
 * `lookupPoint(target)` must give `lookup(target)`'s entry whenever that entry has the user key of
 * `target`, and otherwise nothing (or, for tables it does not answer from the hash, the same entry).
 */
function expectPointAnswer(table: TableReader, target: Uint8Array, trailer: number): void {
  const full = copied(table.lookup(target));
  const point = copied(table.lookupPoint(target));
  const user = (key: Uint8Array) => key.subarray(0, key.length - trailer);
  if (full !== undefined && compareBytes(user(full[0]), user(target)) === 0) {
    expect(point).toEqual(full);
  } else if (point !== undefined) {
    expect(point).toEqual(full);
  }
}

describe('point lookups in resident tables (the user-key hash index)', () => {
  it('answer as the full search does for every stored and absent key (bytewise keys)', () => {
    fc.assert(
      fc.property(entriesArb, probesArb, configArb, (entries, probes, config) => {
        const fs = new MemoryFileSystem();
        buildTable(fs, entries, builderOptions(config));
        const table = TableReader.open(fs.openReadable('/t.sst'), readerOptions(config));
        table.makeResident();
        for (const probe of [...entries.map(([k]) => k), ...probes]) {
          expectPointAnswer(table, probe, 0);
          const i = entries.findIndex(([k]) => compareBytes(k, probe) === 0);
          if (i >= 0) expect(copied(table.lookupPoint(probe))).toEqual(entries[i]);
        }
        table.close();
      }),
    );
  });

  it('find the newest version at or below the sequence among many versions, across block boundaries', () => {
    const versionsArb = fc.uniqueArray(fc.uint8Array({ maxLength: 6, max: 3 }), {
      selector: (k) => k.join(','),
      maxLength: 60,
    });
    fc.assert(
      fc.property(
        versionsArb,
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom(noCompression, lz4Codec),
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 7, max: 4 }), fc.integer({ min: 0, max: 400 })), {
          maxLength: 40,
        }),
        (userKeys, counts, blockSize, codec, probes) => {
          let sequence = 1;
          const entries: Entry[] = [];
          userKeys.forEach((u, i) => {
            for (let v = 0; v < counts[i]; v++) {
              const kind = (sequence + i) % 3 === 0 ? ValueKind.Delete : ValueKind.Put;
              entries.push([makeInternalKey(u, sequence, kind), new Uint8Array([i, v, sequence & 255])]);
              sequence += 1 + (v % 3);
            }
          });
          entries.sort((a, b) => icmp.compare(a[0], b[0]));
          const fs = new MemoryFileSystem();
          buildTable(fs, entries, {
            comparator: icmp,
            blockSize,
            blockRestartInterval: 2,
            compression: codec,
          });
          const table = TableReader.open(fs.openReadable('/t.sst'), { comparator: icmp });
          table.makeResident();
          const targets = [
            ...userKeys.flatMap((u) =>
              [0, 1, 2, 5, 50, 200, 400].map((s) => makeInternalKey(u, s, KIND_FOR_SEEK)),
            ),
            ...probes.map(([u, s]) => makeInternalKey(u, s, KIND_FOR_SEEK)),
          ];
          for (const target of targets) expectPointAnswer(table, target, 8);
          table.close();
        },
      ),
    );
  });

  it('never answer wrongly from a table with a flipped byte: CORRUPTION or the right value', () => {
    fc.assert(
      fc.property(entriesArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (entries, position, mask) => {
        const fs = new MemoryFileSystem();
        const props = buildTable(fs, entries, { blockSize: 200 });
        if (props.dataBytes === 0) return;
        const at = position % props.dataBytes;
        flip(fs, at, mask);
        const table = TableReader.open(fs.openReadable('/t.sst'));
        table.makeResident();
        let corrupt = false;
        for (const [k, v] of entries) {
          const got = attempt(() => copied(table.lookupPoint(k)));
          if (isCorruption(got)) corrupt = true;
          else expect(got).toEqual([k, v]);
        }
        expect(corrupt).toBe(true);
        table.close();
      }),
    );
  });

  it('spreads decimal keys evenly (probe chains stay short at load 3/4)', () => {
    const entries = 16_000;
    const slots = hashSlotsFor(entries);
    const used = new Uint8Array(slots);
    let probes = 0;
    for (let j = 0; j < entries; j++) {
      const key = new TextEncoder().encode(String(500_000 + j).padStart(16, '0'));
      let s = Math.floor((hashKey(key, 0, key.length) / 2 ** 32) * slots);
      probes++;
      while (used[s] === 1) {
        s = (s + 1) % slots;
        probes++;
      }
      used[s] = 1;
    }
    // Linear probing at load 3/4 averages (1 + 1/(1 - 3/4)) / 2 = 2.5 probes per hit with a uniform hash.
    expect(probes / entries).toBeLessThan(3);
  });

  it('fingerprints (low hash bits) rarely agree along a probe chain, so absent keys seldom touch key bytes', () => {
    const entries = 16_000;
    const slots = hashSlotsFor(entries);
    const fingerprint = new Int16Array(slots).fill(-1);
    const place = (key: Uint8Array) => {
      const h = hashKey(key, 0, key.length);
      let s = Math.floor((h / 2 ** 32) * slots);
      while (fingerprint[s] >= 0) s = (s + 1) % slots;
      fingerprint[s] = h & 255;
    };
    const key = (i: number) => new TextEncoder().encode(String(i).padStart(16, '0'));
    for (let j = 0; j < entries; j++) place(key(500_000 + 2 * j));
    // Absent keys in between the stored ones: every occupied slot they pass with their fingerprint
    // would cost a comparison of key bytes.
    let probed = 0;
    let agreed = 0;
    for (let j = 0; j < entries; j++) {
      const k = key(500_001 + 2 * j);
      const h = hashKey(k, 0, k.length);
      for (let s = Math.floor((h / 2 ** 32) * slots); fingerprint[s] >= 0; s = (s + 1) % slots) {
        probed++;
        if (fingerprint[s] === (h & 255)) agreed++;
      }
    }
    // 8 bits: 1 in 256 by chance; correlated with the slot choice, it would be far more.
    expect(agreed / probed).toBeLessThan(2 / 256);
    expect(probed / entries).toBeGreaterThan(1);
  });
});
