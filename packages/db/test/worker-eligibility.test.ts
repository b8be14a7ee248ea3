// Which configurations may merge in the worker thread, and how worker failures cross the thread
// boundary: a failure is posted as plain data and rebuilt on the main thread with the same code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VelocityError } from '@velocity/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DB, type DBOptions } from '../src/index.js';
import {
  OutOfFileNumbersError,
  deserializeError,
  serializeError,
} from '../src/compaction/worker-protocol.js';
import { rejection } from './helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-eligibility-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const customFilter = { name: 'test.Filter', createFilter: () => new Uint8Array(1), keyMayMatch: () => true };
const customCodec = {
  id: 200,
  name: 'test.Identity',
  compress: (b: Uint8Array) => b,
  decompress: (b: Uint8Array) => b,
};

describe("compactionThread 'worker'", () => {
  const cases: [string, DBOptions, RegExp][] = [
    ['a filter policy of its own', { filterPolicy: customFilter as never }, /filter policy/],
    ['a compression codec of its own', { compression: customCodec as never }, /compression codec/],
    ['an extra codec it does not know', { codecs: [customCodec as never] }, /codecs/],
  ];
  for (const [what, options, reason] of cases) {
    it(`is refused with ${what}, saying why; 'auto' opens on the main thread`, async () => {
      const dir = tempDir();
      const error = await rejection(DB.open(dir, { ...options, compactionThread: 'worker' }));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(reason);
      const db = await DB.open(dir, { ...options, compactionThread: 'auto' });
      await db.put('k', 'v');
      await db.compactRange();
      expect(db.getSync('k')).toEqual(new TextEncoder().encode('v'));
      await db.close();
    });
  }
});

describe('worker failures as data', () => {
  it('keep the code, path and errno of a VelocityError', () => {
    const error = new VelocityError('IO_ERROR', 'write failed', { path: '/db/000009.sst', errno: 'ENOSPC' });
    const back = deserializeError(structuredClone(serializeError(error)));
    expect(back).toBeInstanceOf(VelocityError);
    expect(back).toMatchObject({ code: 'IO_ERROR', path: '/db/000009.sst', errno: 'ENOSPC' });
    expect(back.message).toBe('compaction worker: write failed');
    const corrupt = deserializeError(serializeError(new VelocityError('CORRUPTION', 'bad block')));
    expect(corrupt.code).toBe('CORRUPTION');
  });

  it('keep running out of output numbers recognisable', () => {
    const back = deserializeError(serializeError(new OutOfFileNumbersError('needs more')));
    expect(back).toBeInstanceOf(OutOfFileNumbersError);
  });

  it('map a RangeError to INVALID_ARGUMENT, anything else (and unknown codes) to IO_ERROR', () => {
    expect(deserializeError(serializeError(new RangeError('offset out of range'))).code).toBe(
      'INVALID_ARGUMENT',
    );
    const plain = deserializeError(serializeError(new Error('boom')));
    expect(plain).toMatchObject({ code: 'IO_ERROR', message: 'compaction worker: boom' });
    const thrownString = deserializeError(serializeError('just a string'));
    expect(thrownString).toMatchObject({ code: 'IO_ERROR', message: 'compaction worker: just a string' });
    expect(deserializeError({ code: 'NO_SUCH_CODE', message: 'x' }).code).toBe('IO_ERROR');
  });
});
