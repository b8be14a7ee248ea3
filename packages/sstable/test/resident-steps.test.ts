import { MemoryFileSystem, compareBytes, isVelocityError } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { TableReader } from '../src/index.js';
import { type Entry, buildTable } from './helpers.js';

function table(n: number): { fs: MemoryFileSystem; entries: Entry[] } {
  const fs = new MemoryFileSystem();
  const entries: Entry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push([
      new TextEncoder().encode(`k${String(i).padStart(5, '0')}`),
      new Uint8Array(40).fill(i & 255),
    ]);
  }
  entries.sort((a, b) => compareBytes(a[0], b[0]));
  buildTable(fs, entries, { blockSize: 256 });
  return { fs, entries };
}

describe('makeResidentInSteps', () => {
  it('takes one block per step when every step expires at once, and answers right all along', () => {
    const { fs, entries } = table(600);
    const reader = TableReader.open(fs.openReadable('/t.sst'));
    const blocks = [...reader.dataBlocks()].length;
    expect(blocks).toBeGreaterThan(20);
    const step = reader.makeResidentInSteps();
    let steps = 0;
    while (!step(() => true)) {
      steps++;
      expect(reader.isResident).toBe(false);
      const [key, value] = entries[(steps * 37) % entries.length];
      expect(reader.lookupPoint(key)?.value()).toEqual(value);
    }
    expect(steps + 1).toBe(blocks);
    expect(reader.isResident).toBe(true);
    expect(step(() => true)).toBe(true);
    for (const [key, value] of entries) expect(reader.lookupPoint(key)?.value()).toEqual(value);
    reader.close();
  });

  it('finishes in one step when it never expires, and a closed reader refuses the next step', () => {
    const { fs } = table(300);
    const whole = TableReader.open(fs.openReadable('/t.sst'));
    expect(whole.makeResidentInSteps()(() => false)).toBe(true);
    expect(whole.isResident).toBe(true);
    whole.close();
    const reader = TableReader.open(fs.openReadable('/t.sst'));
    const step = reader.makeResidentInSteps();
    expect(step(() => true)).toBe(false);
    reader.close();
    let error: unknown;
    try {
      step(() => true);
    } catch (e) {
      error = e;
    }
    expect(isVelocityError(error, 'CLOSED')).toBe(true);
  });
});

describe('makeResidentInSteps on files that read into memory', () => {
  it('builds the hash index of a large table in steps, answering right at every step', () => {
    const { fs, entries } = table(5000);
    const reader = TableReader.open(fs.openReadable('/t.sst'));
    const blocks = [...reader.dataBlocks()].length;
    const step = reader.makeResidentInSteps();
    let steps = 0;
    while (!step(() => true)) {
      steps++;
      const [key, value] = entries[(steps * 101) % entries.length];
      expect(reader.lookupPoint(key)?.value()).toEqual(value);
    }
    // One step per block, and the index's 5,000 entries in pieces of 1,024 after the last block's step.
    expect(steps).toBe(blocks - 1 + Math.ceil(5000 / 1024) - 1);
    for (const [key, value] of entries) expect(reader.lookupPoint(key)?.value()).toEqual(value);
    const absent = new TextEncoder().encode('k9999999');
    expect(reader.lookupPoint(absent)).toBeUndefined();
    reader.close();
  });

  it('fails the step that reaches data the file no longer holds with CORRUPTION, and every one after', () => {
    const { fs } = table(3000);
    const file = fs.openReadable('/t.sst');
    const cut = Math.floor(file.size / 3);
    const shrunk = {
      path: file.path,
      size: file.size,
      read: (offset: number, length: number) => file.read(offset, length),
      close: () => file.close(),
      // The data region past `cut` has gone (as if the file were truncated after it was opened).
      readInto: (offset: number, target: Uint8Array) =>
        offset >= cut ? 0 : file.readInto!(offset, target.subarray(0, Math.min(target.length, cut - offset))),
    };
    const reader = TableReader.open(shrunk);
    const step = reader.makeResidentInSteps();
    const failure = () => {
      try {
        while (!step(() => false));
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(isVelocityError(failure(), 'CORRUPTION')).toBe(true);
    expect(isVelocityError(failure(), 'CORRUPTION')).toBe(true);
    expect(reader.isResident).toBe(false);
    reader.close();
  });
});

describe('makeResidentInSteps reading a little at a time', () => {
  for (const chunk of [1, 100, 4099]) {
    it(`reads each block with its trailer (${chunk} bytes per read) and verifies every one`, () => {
      const { fs, entries } = table(1500);
      const reader = TableReader.open(fs.openReadable('/t.sst'));
      const step = reader.makeResidentInSteps(chunk);
      let steps = 0;
      while (!step(() => true)) steps++;
      expect(steps).toBeGreaterThan(20);
      // A block whose trailer was not read yet would fail its checksum and throw CORRUPTION here.
      for (const [key, value] of entries) expect(reader.lookupPoint(key)?.value()).toEqual(value);
      reader.close();
    });
  }
});
