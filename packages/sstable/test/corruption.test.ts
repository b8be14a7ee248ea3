import { MemoryFileSystem, isVelocityError, utf8 } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TableReader, lz4Codec } from '../src/index.js';
import {
  type Entry,
  type TableConfig,
  attempt,
  buildTable,
  checkAnswers,
  builderOptions,
  configArb,
  entriesArb,
  flip,
  isCorruption,
  probesArb,
  readerOptions,
} from './helpers.js';

describe('a flipped byte anywhere in a table', () => {
  it('raises CORRUPTION on the read that touches it, or leaves answers correct; never a wrong answer', () => {
    fc.assert(
      fc.property(
        entriesArb,
        configArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        probesArb,
        (entries, config: TableConfig, position, mask, probes) => {
          const fs = new MemoryFileSystem();
          const props = buildTable(fs, entries, builderOptions(config));
          const at = position % props.fileSize;
          flip(fs, at, mask);
          const opened = attempt(() => TableReader.open(fs.openReadable('/t.sst'), readerOptions(config)));
          if (at >= props.dataBytes) {
            // Filter, properties, metaindex, index and footer are all read and verified at open.
            expect(isCorruption(opened)).toBe(true);
            return;
          }
          expect(opened).toBeInstanceOf(TableReader);
          const table = opened as TableReader;
          // The flip is in a data block: a full scan must meet it.
          expect(checkAnswers(table, entries, probes)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('exhaustively, every byte of a small compressed table with a filter', () => {
    const entries: Entry[] = Array.from({ length: 60 }, (_, i) => [
      utf8(`key${String(i * 3).padStart(4, '0')}`),
      utf8(`value ${i} `.repeat(i % 4)),
    ]);
    const config: TableConfig = {
      blockSize: 200,
      blockRestartInterval: 4,
      filter: true,
      codec: lz4Codec,
      cache: 'lru',
      cacheCapacity: 1 << 16,
    };
    const clean = new MemoryFileSystem();
    const props = buildTable(clean, entries, builderOptions(config));
    const original = clean.readFile('/t.sst');
    const probes = [utf8('key0001'), utf8('a'), utf8('z'), utf8('key0090x')];
    for (let at = 0; at < original.length; at++) {
      for (const mask of [0x01, 0x80]) {
        const fs = new MemoryFileSystem();
        const f = fs.openWritable('/t.sst');
        const copy = original.slice();
        copy[at] ^= mask;
        f.append(copy);
        f.close();
        const opened = attempt(() => TableReader.open(fs.openReadable('/t.sst'), readerOptions(config)));
        if (at >= props.dataBytes) {
          expect(isCorruption(opened), `byte ${at}`).toBe(true);
          continue;
        }
        expect(checkAnswers(opened as TableReader, entries, probes), `byte ${at}`).toBe(true);
      }
    }
  });

  it('a truncated table fails to open with CORRUPTION', () => {
    fc.assert(
      fc.property(entriesArb, configArb, fc.nat(), (entries, config, cut) => {
        const fs = new MemoryFileSystem();
        const props = buildTable(fs, entries, builderOptions(config));
        fs.truncate('/t.sst', cut % props.fileSize);
        const opened = attempt(() => TableReader.open(fs.openReadable('/t.sst'), readerOptions(config)));
        expect(isVelocityError(opened, 'CORRUPTION')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('a file that is not a table is CORRUPTION', () => {
    const fs = new MemoryFileSystem();
    const f = fs.openWritable('/t.sst');
    f.append(utf8('this is not a table, just some text that is long enough for a footer....'));
    f.close();
    expect(
      isVelocityError(
        attempt(() => TableReader.open(fs.openReadable('/t.sst'))),
        'CORRUPTION',
      ),
    ).toBe(true);
  });
});
