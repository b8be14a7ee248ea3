/**
 * How keys and values are read from the command line and written to the terminal.
 * @module
 */
import { fromHex, fromUtf8, toHex, utf8 } from '@velocity/core';
import { CliError, ExitCode } from './exit-codes.js';

/** Output formats of commands that print entries. */
export type OutputFormat = 'text' | 'hex' | 'json';

/** Parses a key or value given on the command line: UTF-8 text, or hex with `--hex`. */
export function parseInput(text: string, hex: boolean): Uint8Array {
  if (!hex) return utf8(text);
  try {
    return fromHex(text);
  } catch {
    throw new CliError(`not valid hex: ${text}`, ExitCode.Usage);
  }
}

/** True when `bytes` decode as UTF-8 without replacement characters. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A JSON object for one entry: strings when the bytes are UTF-8, `keyHex`/`valueHex` otherwise. */
export function entryToJson(key: Uint8Array, value: Uint8Array | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isUtf8(key)) out.key = fromUtf8(key);
  else out.keyHex = toHex(key);
  if (value !== undefined) {
    if (isUtf8(value)) out.value = fromUtf8(value);
    else out.valueHex = toHex(value);
  }
  return out;
}

/** Renders bytes for the `text` format: UTF-8 when printable, else `0x` + hex. */
export function renderText(bytes: Uint8Array): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we detect.
  if (isUtf8(bytes) && !/[\u0000-\u0008\u000e-\u001f]/.test(fromUtf8(bytes))) return fromUtf8(bytes);
  return `0x${toHex(bytes)}`;
}

/** Formats one entry (or just a key, or just a value) as one output line. */
export function formatEntry(
  key: Uint8Array | undefined,
  value: Uint8Array | undefined,
  format: OutputFormat,
): string {
  if (format === 'json') {
    const object = entryToJson(key ?? new Uint8Array(0), value);
    if (key === undefined) {
      delete object.key;
      delete object.keyHex;
    }
    return JSON.stringify(object);
  }
  const render = format === 'hex' ? toHex : renderText;
  const parts: string[] = [];
  if (key !== undefined) parts.push(render(key));
  if (value !== undefined) parts.push(render(value));
  return parts.join('\t');
}
