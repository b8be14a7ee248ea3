import { MemoryFileSystem } from '@velocity/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { TableReader } from '../src/index.js';
import {
  attempt,
  buildTable,
  builderOptions,
  configArb,
  entriesArb,
  expectGetAnswer,
  isCorruption,
  probesArb,
  readerOptions,
  scanForward,
} from './helpers.js';

// The flipped-byte property of corruption.test.ts with many more runs and several flips per table.
it('flipped bytes: CORRUPTION from the read that meets them, or correct answers (long run)', () => {
  fc.assert(
    fc.property(
      entriesArb,
      configArb,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
      probesArb,
      (entries, config, flips, probes) => {
        const fs = new MemoryFileSystem();
        const props = buildTable(fs, entries, builderOptions(config));
        const bytes = fs.readFile('/t.sst');
        let inMeta = false;
        for (const [position, mask] of flips) {
          const at = position % props.fileSize;
          bytes[at] ^= mask;
          if (at >= props.dataBytes) inMeta = true;
        }
        fs.corrupt('/t.sst', 0, bytes);
        const opened = attempt(() => TableReader.open(fs.openReadable('/t.sst'), readerOptions(config)));
        if (inMeta) {
          // Unless the flips cancelled out (same byte twice), the open must fail.
          if (!isCorruption(opened)) expect(scanForward(opened as TableReader)).toEqual(entries);
          return;
        }
        const table = opened as TableReader;
        for (const probe of [...entries.map(([k]) => k), ...probes]) {
          const got = attempt(() => table.get(probe));
          if (!isCorruption(got)) expectGetAnswer(entries, probe, got as ReturnType<TableReader['get']>);
        }
        const forward = attempt(() => scanForward(table));
        if (!isCorruption(forward)) expect(forward).toEqual(entries);
      },
    ),
    { numRuns: 5_000 },
  );
});
