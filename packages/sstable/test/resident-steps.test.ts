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
