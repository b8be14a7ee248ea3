import { MemoryFileSystem } from '@velocity/core';
import { LogWriter } from '../src/index.js';

/** Writes `records` to a fresh in-memory log and returns its bytes. */
export function writeLog(records: readonly Uint8Array[]): Uint8Array {
  const fs = new MemoryFileSystem();
  const file = fs.openWritable('/log');
  const writer = new LogWriter(file);
  for (const r of records) writer.addRecord(r);
  writer.close();
  return fs.readFile('/log');
}

/** A record of `n` bytes with a recognizable pattern derived from `seed`. */
export function record(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed * 31 + i * 7) & 0xff;
  return out;
}
