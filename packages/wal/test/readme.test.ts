import { MemoryFileSystem, fromUtf8, utf8 } from '@velocity/core';
import { expect, it } from 'vitest';
import { LogReader, LogWriter } from '../src/index.js';

it('runs the README example', () => {
  // --- README example ---
  const fs = new MemoryFileSystem();
  fs.mkdir('/logs');
  const writer = new LogWriter(fs.openWritable('/logs/000001.log'));
  writer.addRecord(utf8('first event'));
  writer.addRecord(new Uint8Array(100_000)); // spans several 32 KiB blocks
  writer.sync(); // durable: survives power loss

  const reader = new LogReader(fs.openReadable('/logs/000001.log'));
  const records = [...reader].map((r) => r.length);
  // --- end ---
  expect(records).toEqual([11, 100_000]);
  expect(fromUtf8(new LogReader(fs.readFile('/logs/000001.log')).readRecord() ?? new Uint8Array())).toBe(
    'first event',
  );
});
