/**
 * Reading an import file as numbered records: each JSON line or CSV row comes with its number (the
 * line or row a user would fix and resume from) and either the record or why it is malformed. The
 * input bytes consumed so far drive the progress bar.
 * @module
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { utf8 } from '@velocity/core';
import { CsvParser, type KeyValue, parseJsonLine, type RecordFormat, type ValueFormat } from './records.js';

/** One line (JSON lines) or row (CSV) of input: the record, or what is wrong with it. */
export type NumberedRecord =
  | { number: number; record: KeyValue; error?: undefined }
  | { number: number; record?: undefined; error: string };

/** Options of {@link RecordSource}. */
export interface SourceOptions {
  format: RecordFormat;
  /** CSV: the first row is a header (default: skipped when it reads `key,value`). */
  header?: boolean;
  /** JSON lines: what `value` means. */
  valueFormat?: ValueFormat;
}

/** An import file read as {@link NumberedRecord}s. Blank lines and a CSV header yield nothing. */
export class RecordSource implements AsyncIterable<NumberedRecord> {
  private readonly stream: ReadStream;

  constructor(
    path: string,
    private readonly options: SourceOptions,
  ) {
    this.stream = createReadStream(path, 'utf8');
  }

  /** `line` for JSON lines, `row` for CSV: what a record's number counts. */
  get unit(): 'line' | 'row' {
    return this.options.format === 'csv' ? 'row' : 'line';
  }

  /** Input bytes read so far (a little ahead of the records yielded: reads are buffered). */
  get bytesRead(): number {
    return this.stream.bytesRead;
  }

  [Symbol.asyncIterator](): AsyncIterator<NumberedRecord> {
    return this.options.format === 'csv' ? this.csv() : this.jsonLines();
  }

  private async *jsonLines(): AsyncGenerator<NumberedRecord> {
    const lines = createInterface({ input: this.stream, crlfDelay: Number.POSITIVE_INFINITY });
    let number = 0;
    for await (const line of lines) {
      number++;
      if (line.trim() === '') continue;
      try {
        yield { number, record: parseJsonLine(line, this.options.valueFormat) };
      } catch (error) {
        yield { number, error: (error as Error).message };
      }
    }
  }

  private async *csv(): AsyncGenerator<NumberedRecord> {
    const parser = new CsvParser();
    const { header } = this.options;
    let number = 0;
    const toRecord = (row: string[]): NumberedRecord | undefined => {
      number++;
      const looksLikeHeader = row.join(',').toLowerCase() === 'key,value';
      if (number === 1 && (header === true || (header === undefined && looksLikeHeader))) return undefined;
      if (row.length === 1 && row[0] === '') return undefined;
      if (row.length !== 2) return { number, error: `${row.length} fields, expected 2` };
      return { number, record: { key: utf8(row[0]), value: utf8(row[1]) } };
    };
    for await (const chunk of this.stream) {
      for (const row of parser.push(chunk as string)) {
        const numbered = toRecord(row);
        if (numbered) yield numbered;
      }
    }
    let tail: string[][];
    try {
      tail = parser.end();
    } catch (error) {
      yield { number: number + 1, error: (error as Error).message };
      return;
    }
    for (const row of tail) {
      const numbered = toRecord(row);
      if (numbered) yield numbered;
    }
  }
}
