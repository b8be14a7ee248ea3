// A memtable told the size it will be flushed at (`expectedBytes`) reserves its node records and its
// key filter up front: entries of 64 bytes of key and value or more fill it without growing either
// (each growth copied or rebuilt them in one step, a pause of milliseconds at 16 MiB), and it holds
// as many entries before reaching that size as an unsized one, with the same contents.
import { ValueKind } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { SkipListMemTable } from '../src/skip-list-memtable.js';

interface Internals {
  list: { nodes: Int32Array };
  filter: { bits: Uint32Array };
}

function key(i: number): Uint8Array {
  return new TextEncoder().encode(String((i * 2654435761) % 4294967296).padStart(16, '0'));
}

/** Adds entries of `valueSize`-byte values until the memtable's estimate reaches `bytes`. */
function fill(mem: SkipListMemTable, bytes: number, valueSize: number): number {
  const value = new Uint8Array(valueSize).fill(7);
  let n = 0;
  while (mem.approximateMemoryUsage() < bytes) mem.add(++n, ValueKind.Put, key(n), value);
  return n;
}

describe('SkipListMemTable sized up front', () => {
  const bytes = 2 * 1024 * 1024;

  it('fills to its size without growing its node array or rebuilding its key filter', () => {
    for (const valueSize of [48, 100, 400]) {
      const mem = new SkipListMemTable(undefined, { expectedBytes: bytes });
      const inside = mem as unknown as Internals;
      const nodes = inside.list.nodes;
      const bits = inside.filter.bits;
      fill(mem, bytes, valueSize);
      expect(inside.list.nodes, `${valueSize}-byte values`).toBe(nodes);
      expect(inside.filter.bits, `${valueSize}-byte values`).toBe(bits);
    }
  });

  it('holds as many entries as an unsized memtable before reaching the size, and the same ones', () => {
    const sized = new SkipListMemTable(undefined, { expectedBytes: bytes });
    const unsized = new SkipListMemTable();
    const a = fill(sized, bytes, 100);
    const b = fill(unsized, bytes, 100);
    // Only the filter's up-front bit array differs between the two estimates.
    expect(Math.abs(a - b) / b).toBeLessThan(0.03);
    for (let i = 1; i <= Math.min(a, b); i += 97) {
      expect(sized.get(key(i), i)).toEqual(unsized.get(key(i), i));
    }
    expect(sized.get(key(a + 1), a + 1)).toBeUndefined();
  });

  it('grows past its reservation when entries are smaller than it assumed', () => {
    const mem = new SkipListMemTable(undefined, { expectedBytes: 256 * 1024 });
    const inside = mem as unknown as Internals;
    const nodes = inside.list.nodes;
    const n = fill(mem, 256 * 1024, 0);
    expect(inside.list.nodes).not.toBe(nodes);
    for (let i = 1; i <= n; i += 13) expect(mem.get(key(i), n)?.kind).toBe('put');
  });
});
