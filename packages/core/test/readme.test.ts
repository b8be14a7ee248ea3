import { expect, it } from 'vitest';
import { ByteReader, ByteWriter, crc32c, fromUtf8, MemoryFileSystem, utf8 } from '../src/index.js';

it('runs the README example', () => {
  const w = new ByteWriter();
  w.putVarint32(300)
    .putLengthPrefixed(utf8('hello'))
    .putFixed32(crc32c(utf8('hello')));
  const r = new ByteReader(w.finish());
  expect(r.readVarint32()).toBe(300);
  expect(fromUtf8(r.readLengthPrefixed())).toBe('hello');

  const fs = new MemoryFileSystem();
  fs.mkdir('/data');
  const file = fs.openWritable('/data/x');
  file.append(utf8('durable'));
  file.sync();
  fs.syncDirectory('/data');
  file.append(utf8(' and lost'));
  const afterPowerLoss = fs.crash();
  expect(fromUtf8(afterPowerLoss.readFile('/data/x'))).toBe('durable');
});
