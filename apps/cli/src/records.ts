/**
 * Reading and writing key/value records for `import` and `export`: JSON lines and CSV.
 *
 * JSON lines: one object per line, `{"key": "...", "value": "..."}`. Keys and values that are not
 * UTF-8 text use `keyHex` / `valueHex` instead. The value format says what a `value` means:
 * - `text` (the default): a string value is stored as its UTF-8 bytes; any other JSON value (a number,
 *   an object) is stored as its JSON text, so `"value": 2` and `"value": "2"` both store `2` and export
 *   as the string `"2"`.
 * - `json`: every value is stored as its JSON text (a string keeps its quotes), and export parses it
 *   back, so `"value": 2` exports as `2` and `"value": "2"` as `"2"`: values round-trip exactly.
 *
 * CSV: two columns, key then value, RFC 4180 quoting (`"a ""quoted"" field"`), optional header line
 * `key,value`.
 * @module
 */
import { fromHex, utf8 } from '@velocity/core';

/** One record to import. */
export interface KeyValue {
  key: Uint8Array;
  value: Uint8Array;
}

/** Import formats. */
export type RecordFormat = 'jsonl' | 'csv';

/** What a JSON line's `value` means: UTF-8 text (default) or a JSON value stored as JSON text. */
export type ValueFormat = 'text' | 'json';

/** Picks the format from a file name (`.csv` is CSV, anything else JSON lines). */
export function formatFromPath(path: string): RecordFormat {
  return path.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
}

/** Parses one JSON line. Throws `Error` with a readable message on malformed input. */
export function parseJsonLine(line: string, valueFormat: ValueFormat = 'text'): KeyValue {
  let object: unknown;
  try {
    object = JSON.parse(line);
  } catch {
    throw new Error('not valid JSON');
  }
  if (object === null || typeof object !== 'object' || Array.isArray(object))
    throw new Error('not a JSON object');
  const o = object as Record<string, unknown>;
  const key =
    typeof o.keyHex === 'string' ? fromHex(o.keyHex) : typeof o.key === 'string' ? utf8(o.key) : undefined;
  if (key === undefined) throw new Error('needs a string "key" (or "keyHex")');
  let value: Uint8Array;
  if (typeof o.valueHex === 'string') value = fromHex(o.valueHex);
  else if (valueFormat === 'json' && o.value !== undefined) value = utf8(JSON.stringify(o.value));
  else if (typeof o.value === 'string') value = utf8(o.value);
  else if (o.value !== undefined) value = utf8(JSON.stringify(o.value));
  else throw new Error('needs a "value" (or "valueHex")');
  return { key, value };
}

/**
 * A streaming CSV parser (RFC 4180 quoting): feed it chunks of text with `push`, which returns the
 * rows completed so far; `end` returns the last row. Quoted fields may span lines and chunks; `\r\n`
 * and `\n` both end a row.
 */
export class CsvParser {
  private field = '';
  private row: string[] = [];
  private quoted = false;
  /** A quote seen at the end of a chunk inside a quoted field: an escaped quote or the closing one. */
  private pendingQuote = false;
  private pendingCR = false;

  /** Parses `chunk` and returns the rows it completed. */
  push(chunk: string): string[][] {
    const rows: string[][] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === '\n') continue;
      }
      if (this.pendingQuote) {
        this.pendingQuote = false;
        if (c === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
      }
      if (this.quoted) {
        if (c === '"') this.pendingQuote = true;
        else this.field += c;
      } else if (c === '"' && this.field === '') this.quoted = true;
      else if (c === ',') {
        this.row.push(this.field);
        this.field = '';
      } else if (c === '\n' || c === '\r') {
        this.pendingCR = c === '\r';
        this.row.push(this.field);
        rows.push(this.row);
        this.row = [];
        this.field = '';
      } else this.field += c;
    }
    return rows;
  }

  /** Finishes the input; returns the last row if the text did not end with a newline. */
  end(): string[][] {
    if (this.pendingQuote) {
      this.pendingQuote = false;
      this.quoted = false;
    }
    if (this.quoted) throw new Error('unterminated quoted field at end of input');
    if (this.field === '' && this.row.length === 0) return [];
    this.row.push(this.field);
    const last = this.row;
    this.row = [];
    this.field = '';
    return [last];
  }
}

/** Quotes a CSV field when it needs it. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
