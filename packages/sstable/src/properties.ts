import { ByteReader, ByteWriter, compareBytes, corruption, fromUtf8, utf8 } from '@velocity/core';
import { Block } from './block.js';
import { BlockBuilder } from './block-builder.js';
import { bytewiseComparator } from '@velocity/core';
import type { TableProperties } from './types.js';

/** The properties stored in the properties block (the others are derived from the footer and file). */
export type StoredProperties = Omit<TableProperties, 'indexBytes' | 'fileSize'>;

type NumberField = {
  [K in keyof StoredProperties]: StoredProperties[K] extends number ? K : never;
}[keyof StoredProperties];
type StringField = {
  [K in keyof StoredProperties]: StoredProperties[K] extends string ? K : never;
}[keyof StoredProperties];
type BytesField = 'smallestKey' | 'largestKey';

/** Persisted names of the numeric properties (varint64 values). */
const NUMBER_FIELDS: Record<NumberField, string> = {
  entries: 'velocity.entries',
  dataBlocks: 'velocity.data.blocks',
  rawKeyBytes: 'velocity.raw.key.bytes',
  rawValueBytes: 'velocity.raw.value.bytes',
  dataBytes: 'velocity.data.bytes',
  filterBytes: 'velocity.filter.bytes',
  blockSize: 'velocity.block.size',
  blockRestartInterval: 'velocity.block.restart.interval',
};

/** Persisted names of the text properties (UTF-8 values). */
const STRING_FIELDS: Record<StringField, string> = {
  comparatorName: 'velocity.comparator',
  filterPolicyName: 'velocity.filter.policy',
  compressionName: 'velocity.compression',
};

/** Persisted names of the key properties (raw bytes). */
const BYTES_FIELDS: Record<BytesField, string> = {
  smallestKey: 'velocity.key.smallest',
  largestKey: 'velocity.key.largest',
};

/** Encodes the properties as a block of name/value entries sorted by name. */
export function encodeProperties(props: StoredProperties): Uint8Array {
  const entries: [Uint8Array, Uint8Array][] = [];
  for (const [field, name] of Object.entries(NUMBER_FIELDS)) {
    entries.push([utf8(name), new ByteWriter(10).putVarint64(props[field as NumberField]).finish()]);
  }
  for (const [field, name] of Object.entries(STRING_FIELDS)) {
    entries.push([utf8(name), utf8(props[field as StringField])]);
  }
  for (const [field, name] of Object.entries(BYTES_FIELDS)) {
    entries.push([utf8(name), props[field as BytesField]]);
  }
  entries.sort((a, b) => compareBytes(a[0], b[0]));
  const builder = new BlockBuilder(1);
  for (const [name, value] of entries) builder.add(name, value);
  return builder.finish();
}

/**
 * Decodes a properties block. Unknown names are ignored (later versions may add properties); a missing
 * or malformed known one is `CORRUPTION`.
 */
export function decodeProperties(contents: Uint8Array): StoredProperties {
  const values = new Map<string, Uint8Array>();
  const it = new Block(contents).iterator(bytewiseComparator);
  for (it.seekToFirst(); it.valid(); it.next()) values.set(fromUtf8(it.key()), it.value().slice());
  const get = (name: string): Uint8Array => {
    const value = values.get(name);
    if (value === undefined) throw corruption(`table properties lack '${name}'`);
    return value;
  };
  const out: Partial<StoredProperties> = {};
  for (const [field, name] of Object.entries(NUMBER_FIELDS)) {
    const reader = new ByteReader(get(name));
    const value = reader.readVarint64();
    if (reader.remaining !== 0) throw corruption(`malformed table property '${name}'`);
    out[field as NumberField] = value;
  }
  for (const [field, name] of Object.entries(STRING_FIELDS)) out[field as StringField] = fromUtf8(get(name));
  for (const [field, name] of Object.entries(BYTES_FIELDS)) out[field as BytesField] = get(name);
  return out as StoredProperties;
}
