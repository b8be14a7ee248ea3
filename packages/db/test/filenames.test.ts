import { MemoryFileSystem, isVelocityError, utf8 } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { logFileName, manifestFileName, parseFileName, tableFileName } from '../src/filenames.js';
import {
  BASE_FORMAT_VERSION,
  FORMAT_VERSION,
  checkFormatMarker,
  formatMarkerText,
  writeFormatMarker,
} from '../src/format-marker.js';

describe('file names', () => {
  it('formats and parses every kind', () => {
    expect(logFileName('/db', 7)).toBe('/db/000007.log');
    expect(tableFileName('/db', 1234567)).toBe('/db/1234567.sst');
    expect(manifestFileName('/db', 3)).toBe('/db/MANIFEST-000003');
    expect(parseFileName('000007.log')).toEqual({ kind: 'log', number: 7 });
    expect(parseFileName('1234567.sst')).toEqual({ kind: 'table', number: 1234567 });
    expect(parseFileName('MANIFEST-000003')).toEqual({ kind: 'manifest', number: 3 });
    expect(parseFileName('000009.dbtmp')).toEqual({ kind: 'temp', number: 9 });
    expect(parseFileName('CURRENT')).toEqual({ kind: 'current', number: 0 });
    expect(parseFileName('LOCK')).toEqual({ kind: 'lock', number: 0 });
    expect(parseFileName('VELOCITY')).toEqual({ kind: 'marker', number: 0 });
    for (const name of ['7.log', 'foo.sst', 'MANIFEST', 'LOG', 'README', '000001.ldb']) {
      expect(parseFileName(name)).toBeUndefined();
    }
  });
});

describe('format marker', () => {
  it('writes a marker this version accepts', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/db');
    writeFormatMarker(fs, '/db');
    expect(fs.list('/db')).toEqual(['VELOCITY']);
    expect(checkFormatMarker(fs, '/db')).toBe(BASE_FORMAT_VERSION);
  });

  it('refuses a newer format and a damaged marker', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/db');
    const f = fs.openWritable('/db/VELOCITY');
    f.append(utf8(formatMarkerText(FORMAT_VERSION + 1)));
    f.close();
    expect(() => checkFormatMarker(fs, '/db')).toThrow(expect.objectContaining({ code: 'FORMAT_VERSION' }));
    const g = fs.openWritable('/db/VELOCITY');
    g.append(utf8('something else'));
    g.close();
    let error: unknown;
    try {
      checkFormatMarker(fs, '/db');
    } catch (e) {
      error = e;
    }
    expect(isVelocityError(error, 'CORRUPTION')).toBe(true);
  });
});
