import { MemoryFileSystem, isVelocityError, utf8 } from '@velocity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Codec, TableReader, builtinCodecs, lz4Codec, noCompression } from '../src/index.js';
import { type Entry, attempt, buildTable, scanForward } from './helpers.js';

/** Inputs with structure (repeats, runs) as well as noise, so LZ4 finds matches of every length. */
const inputArb = fc.oneof(
  fc.uint8Array({ maxLength: 3000, size: 'large' }),
  fc
    .array(
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 20, max: 3 }), fc.integer({ min: 1, max: 300 })),
      {
        maxLength: 30,
      },
    )
    .map((parts) => {
      const out: number[] = [];
      for (const [bytes, times] of parts) for (let t = 0; t < times; t++) out.push(...bytes);
      return Uint8Array.from(out);
    }),
);

describe('codecs', () => {
  it('builtinCodecs are none (0) and lz4 (3)', () => {
    expect(builtinCodecs.map((c) => [c.id, c.name])).toEqual([
      [0, 'none'],
      [3, 'lz4'],
    ]);
    const bytes = utf8('abc');
    expect(noCompression.decompress(noCompression.compress(bytes))).toEqual(bytes);
  });

  it('lz4 round-trips any input, and compresses repetitive input', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const packed = lz4Codec.compress(input);
        expect(lz4Codec.decompress(packed)).toEqual(input);
      }),
      { numRuns: 400 },
    );
    const repetitive = utf8('velocity '.repeat(500));
    expect(lz4Codec.compress(repetitive).length).toBeLessThan(repetitive.length / 10);
  });

  it('lz4 decoding of damaged input raises CORRUPTION or yields the recorded length, never anything else', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1 }),
        fc.nat(),
        (input, edits, cut) => {
          const packed = lz4Codec.compress(input).slice();
          for (const [at, value] of edits) packed[at % packed.length] = value;
          for (const damaged of [packed, packed.subarray(0, cut % (packed.length + 1))]) {
            const out = attempt(() => lz4Codec.decompress(damaged));
            if (out instanceof Error) expect(isVelocityError(out, 'CORRUPTION')).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(
      isVelocityError(
        attempt(() => lz4Codec.decompress(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0]))),
        'CORRUPTION',
      ),
    ).toBe(true);
  });

  it('stores a block uncompressed unless the codec saves at least 1/8', () => {
    let decompressions = 0;
    // A codec that "saves" exactly `saving` bytes per block by dropping a known padding.
    const trimming = (saving: number): Codec => ({
      id: 200,
      name: 'trim',
      compress: (input) => input.subarray(0, Math.max(0, input.length - saving)),
      decompress: () => {
        decompressions++;
        throw new Error('never reached in this test');
      },
    });
    const entries: Entry[] = Array.from({ length: 50 }, (_, i) => [
      utf8(`k${String(i).padStart(3, '0')}`),
      new Uint8Array(60),
    ]);
    const fs = new MemoryFileSystem();
    // Saving 1 byte of ~4 KiB is far below 1/8: every block is stored raw and reads need no codec.
    buildTable(fs, entries, { compression: trimming(1) });
    const table = TableReader.open(fs.openReadable('/t.sst'));
    expect(scanForward(table)).toEqual(entries);
    expect(decompressions).toBe(0);
  });

  it('reads blocks of a custom codec given in options.codecs; without it, NOT_SUPPORTED', () => {
    // Run-length encoding: shrinks the all-zero values a lot, so its blocks are stored compressed.
    const rle: Codec = {
      id: 77,
      name: 'rle-test',
      compress(input) {
        const out: number[] = [];
        for (let i = 0; i < input.length; ) {
          let run = 1;
          while (i + run < input.length && input[i + run] === input[i] && run < 255) run++;
          out.push(run, input[i]);
          i += run;
        }
        return Uint8Array.from(out);
      },
      decompress(input) {
        const out: number[] = [];
        for (let i = 0; i + 1 < input.length; i += 2)
          for (let r = 0; r < input[i]; r++) out.push(input[i + 1]);
        return Uint8Array.from(out);
      },
    };
    const entries: Entry[] = Array.from({ length: 100 }, (_, i) => [
      utf8(`k${String(i).padStart(3, '0')}`),
      new Uint8Array(80),
    ]);
    const fs = new MemoryFileSystem();
    const props = buildTable(fs, entries, { compression: rle, blockSize: 1024 });
    expect(props.compressionName).toBe('rle-test');
    expect(props.dataBytes).toBeLessThan(props.rawValueBytes / 2);
    const table = TableReader.open(fs.openReadable('/t.sst'), { codecs: [rle] });
    expect(scanForward(table)).toEqual(entries);
    const without = TableReader.open(fs.openReadable('/t.sst'));
    expect(
      isVelocityError(
        attempt(() => without.get(entries[0][0])),
        'NOT_SUPPORTED',
      ),
    ).toBe(true);
    // A custom codec may not take a built-in id.
    expect(
      isVelocityError(
        attempt(() => TableReader.open(fs.openReadable('/t.sst'), { codecs: [{ ...rle, id: 3 }] })),
        'INVALID_ARGUMENT',
      ),
    ).toBe(true);
  });
});
