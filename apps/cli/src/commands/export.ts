/**
 * `velocity export DIR FILE`: every record to JSON lines or CSV (FILE `-` is standard output, which
 * stops quietly when its reader goes away: `velocity export DB - | head -1`).
 * @module
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { fromUtf8 } from '@velocity/core';
import { entryToJson, isUtf8 } from '../encoding.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { withDatabase } from '../open.js';
import type { Io } from '../program.js';
import { Progress } from '../progress.js';
import { csvField, formatFromPath, type RecordFormat, type ValueFormat } from '../records.js';

/** Options of `export`. */
export interface ExportOptions {
  /** Output format; by default from the file name. */
  format?: RecordFormat;
  /** JSON lines: `json` writes each value as the JSON value it holds (see `import --value-format`). */
  valueFormat?: ValueFormat;
}

/** One record as an output line (without the newline). */
function exportLine(
  key: Uint8Array,
  value: Uint8Array,
  format: RecordFormat,
  valueFormat: ValueFormat,
): string {
  if (format === 'csv') {
    if (!isUtf8(key) || !isUtf8(value)) {
      throw new CliError(
        'CSV export needs UTF-8 keys and values; use JSON lines for binary data',
        ExitCode.Usage,
      );
    }
    return `${csvField(fromUtf8(key))},${csvField(fromUtf8(value))}`;
  }
  if (valueFormat === 'text') return JSON.stringify(entryToJson(key, value));
  const object = entryToJson(key, undefined); // the key alone
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(value));
  } catch {
    throw new CliError(
      `the value of ${object.key ?? object.keyHex} is not JSON text; export without --value-format json`,
      ExitCode.Usage,
    );
  }
  return JSON.stringify({ ...object, value: parsed });
}

/** `velocity export DIR FILE` (FILE `-` is standard output). */
export async function exportFile(dir: string, path: string, options: ExportOptions, io: Io): Promise<void> {
  const format = options.format ?? formatFromPath(path);
  const valueFormat = options.valueFormat ?? 'text';
  const file = path === '-' ? undefined : createWriteStream(path);
  await withDatabase(dir, { readOnly: true }, async (db) => {
    const progress = new Progress(`exporting to ${path}`, undefined);
    let count = 0;
    const iterator = db.iterator({});
    try {
      for (const [key, value] of iterator) {
        const line = exportLine(key, value, format, valueFormat);
        if (file === undefined) {
          io.out(line);
          await io.pace?.();
        } else if (!file.write(`${line}\n`)) await once(file, 'drain');
        progress.update(++count);
      }
    } finally {
      iterator.close();
    }
    progress.finish();
    if (file !== undefined) {
      file.end();
      await once(file, 'finish');
      io.log(`exported ${count.toLocaleString('en-US')} records to ${path}`);
    }
  });
}
