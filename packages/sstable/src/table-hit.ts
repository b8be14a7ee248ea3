/**
 * Where a point lookup in a table landed, as positions in arrays the table holds (no views made):
 * the key is `keys[keyStart, keyEnd)` and the value `values[valueStart, valueEnd)`. A reader re-uses
 * one; its contents are valid until the next call on that reader.
 */
export class TableHit {
  keys: Uint8Array = EMPTY;
  keyStart = 0;
  keyEnd = 0;
  values: Uint8Array = EMPTY;
  valueStart = 0;
  valueEnd = 0;

  /** The key (a view). */
  key(): Uint8Array {
    return this.keys.subarray(this.keyStart, this.keyEnd);
  }

  /** The value (a view). */
  value(): Uint8Array {
    return this.values.subarray(this.valueStart, this.valueEnd);
  }
}

const EMPTY = new Uint8Array(0);
