/**
 * Entries packed for `postMessage`: every key and value of a chunk in one byte array, their ends in
 * another, both transferred rather than cloned (cloning thousands of small arrays costs more than
 * reading them).
 * @module
 */
import type { Entry } from '@velocity/db';

/** A chunk of entries as it crosses `postMessage`. */
export interface PackedEntries {
  /** Keys and values, back to back: key 0, value 0, key 1, ... */
  bytes: Uint8Array<ArrayBuffer>;
  /** End offset in `bytes` of each key and each value, in the same order. */
  ends: Uint32Array<ArrayBuffer>;
}

/** Packs entries; pass `[packed.bytes.buffer, packed.ends.buffer]` as the transfer list. */
export function packEntries(entries: readonly Entry[]): PackedEntries {
  let size = 0;
  for (const [k, v] of entries) size += k.length + v.length;
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(entries.length * 2);
  let at = 0;
  entries.forEach(([k, v], i) => {
    bytes.set(k, at);
    ends[2 * i] = at += k.length;
    bytes.set(v, at);
    ends[2 * i + 1] = at += v.length;
  });
  return { bytes, ends };
}

/** The entries of a packed chunk: views into its one buffer, which nothing else uses. */
export function unpackEntries({ bytes, ends }: PackedEntries): Entry[] {
  const out: Entry[] = new Array(ends.length / 2);
  let at = 0;
  for (let i = 0; i < out.length; i++) {
    const keyEnd = ends[2 * i];
    const valueEnd = ends[2 * i + 1];
    out[i] = [bytes.subarray(at, keyEnd), bytes.subarray(keyEnd, valueEnd)];
    at = valueEnd;
  }
  return out;
}

/** The buffers to transfer with a batch of reply values (those of packed chunks). */
export function transferablesOf(values: readonly unknown[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const value of values) {
    const packed = (value as { packed?: PackedEntries } | undefined)?.packed;
    if (packed?.bytes instanceof Uint8Array) out.push(packed.bytes.buffer, packed.ends.buffer);
  }
  return out;
}
