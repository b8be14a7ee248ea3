/**
 * Where a point lookup in a table landed, as positions in arrays the table holds (no views made):
 * the key is `keys[keyStart, keyEnd)` and the value `values[valueStart, valueEnd)`. A reader re-uses
 * one; its contents are valid until the next call on that reader (or on another reader sharing its
 * block cache and block pool, whose next miss may re-use the block's memory).
 */
export class TableHit {
  /** The array holding the key. */
  keys: Uint8Array = EMPTY;
  /** Where the key starts in `keys`. */
  keyStart = 0;
  /** Where the key ends in `keys`. */
  keyEnd = 0;
  /** The array holding the value. */
  values: Uint8Array = EMPTY;
  /** Where the value starts in `values`. */
  valueStart = 0;
  /** Where the value ends in `values`. */
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
