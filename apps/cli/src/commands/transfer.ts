/**
 * `import` and `export`: moving records between a database and JSON-lines or CSV files.
 * @module
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fromUtf8, utf8 } from '@velocity/core';
import type { DB } from '@velocity/db';
import { entryToJson, isUtf8 } from '../encoding.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { withDatabase } from '../open.js';
import { Progress } from '../progress.js';
import {
  CsvParser,
  csvField,
  formatFromPath,
  type KeyValue,
  parseJsonLine,
  type RecordFormat,
} from '../records.js';

/** Options of `import`. */
export interface ImportOptions {
  /** Input format; by default from the file name (`.csv` or JSON lines). */
  format?: RecordFormat;
  /** Records per atomic batch (default 1000). */
  batchSize?: number;
  /** CSV: the first row is a header to skip (default: skipped when it reads `key,value`). */
  header?: boolean;
}

/** Reads records from a JSON-lines file, with line numbers in errors. */
async function* readJsonLines(path: string): AsyncGenerator<KeyValue> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    try {
      yield parseJsonLine(line);
    } catch (error) {
      throw new CliError(`${path}:${lineNumber}: ${(error as Error).message}`, ExitCode.Usage);
    }
  }
}

/** Reads records from a CSV file (key, value columns). */
async function* readCsv(path: string, header: boolean | undefined): AsyncGenerator<KeyValue> {
  const parser = new CsvParser();
  let rowNumber = 0;
  const toRecord = (row: string[]): KeyValue | undefined => {
    rowNumber++;
    if (
      rowNumber === 1 &&
      (header === true || (header === undefined && row.join(',').toLowerCase() === 'key,value'))
    ) {
      return undefined;
    }
    if (row.length === 1 && row[0] === '') return undefined;
    if (row.length !== 2)
      throw new CliError(`${path}: row ${rowNumber} has ${row.length} fields, expected 2`, ExitCode.Usage);
    return { key: utf8(row[0]), value: utf8(row[1]) };
  };
  for await (const chunk of createReadStream(path, 'utf8')) {
    for (const row of parser.push(chunk as string)) {
      const record = toRecord(row);
      if (record) yield record;
    }
  }
  let tail: string[][];
  try {
    tail = parser.end();
  } catch (error) {
    throw new CliError(`${path}: ${(error as Error).message}`, ExitCode.Usage);
  }
  for (const row of tail) {
    const record = toRecord(row);
    if (record) yield record;
  }
}

/** Imports records into `db` in atomic batches; returns how many. */
export async function importInto(
  db: DB,
  path: string,
  options: ImportOptions,
  progress?: Progress,
): Promise<number> {
  const format = options.format ?? formatFromPath(path);
  const batchSize = options.batchSize ?? 1000;
  const records = format === 'csv' ? readCsv(path, options.header) : readJsonLines(path);
  let batch = db.batch();
  let inBatch = 0;
  let total = 0;
  for await (const { key, value } of records) {
    batch.put(key, value);
    if (++inBatch >= batchSize) {
      await batch.write();
      progress?.advance(inBatch);
      total += inBatch;
      batch = db.batch();
      inBatch = 0;
    }
  }
  if (inBatch > 0) {
    await batch.write();
    progress?.advance(inBatch);
    total += inBatch;
  }
  await db.flush();
  return total;
}

/** `velocity import DIR FILE`. */
export async function importFile(
  dir: string,
  path: string,
  options: ImportOptions,
  log: (line: string) => void,
): Promise<void> {
  try {
    statSync(path);
  } catch {
    throw new CliError(`cannot read ${path}`, ExitCode.Usage);
  }
  await withDatabase(dir, { create: true }, async (db) => {
    const progress = new Progress(`importing ${path}`, undefined);
    const count = await importInto(db, path, options, progress);
    progress.finish();
    log(`imported ${count} records into ${dir}`);
  });
}

/** Options of `export`. */
export interface ExportOptions {
  /** Output format; by default from the file name. */
  format?: RecordFormat;
}

/** `velocity export DIR FILE` (FILE `-` is standard output). */
export async function exportFile(
  dir: string,
  path: string,
  options: ExportOptions,
  log: (line: string) => void,
): Promise<void> {
  const format = options.format ?? formatFromPath(path);
  const output = path === '-' ? process.stdout : createWriteStream(path);
  await withDatabase(dir, {}, async (db) => {
    const progress = new Progress(`exporting to ${path}`, undefined);
    let count = 0;
    const iterator = db.iterator({});
    try {
      for (const [key, value] of iterator) {
        let line: string;
        if (format === 'csv') {
          if (!isUtf8(key) || !isUtf8(value)) {
            throw new CliError(
              'CSV export needs UTF-8 keys and values; use JSON lines for binary data',
              ExitCode.Usage,
            );
          }
          line = `${csvField(fromUtf8(key))},${csvField(fromUtf8(value))}\n`;
        } else line = `${JSON.stringify(entryToJson(key, value))}\n`;
        if (!output.write(line)) await once(output, 'drain');
        count++;
        progress.advance();
      }
    } finally {
      iterator.close();
    }
    progress.finish();
    if (output !== process.stdout) {
      output.end();
      await once(output, 'finish');
    }
    if (path !== '-') log(`exported ${count} records to ${path}`);
  });
}
