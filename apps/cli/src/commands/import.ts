/**
 * `velocity import DIR FILE`: loading JSON lines or CSV into a database in atomic batches.
 *
 * A malformed line stops the import after committing every record before it, and says how many were
 * committed and the line to resume from (`--from`); with `--skip-errors` malformed lines are reported
 * and skipped instead.
 * @module
 */
import { statSync } from 'node:fs';
import type { DB } from '@velocity/db';
import { CliError, ExitCode } from '../exit-codes.js';
import { withDatabase } from '../open.js';
import { Progress } from '../progress.js';
import { formatFromPath, type RecordFormat, type ValueFormat } from '../records.js';
import { RecordSource } from '../sources.js';

/** Options of `import`. */
export interface ImportOptions {
  /** Input format; by default from the file name (`.csv` or JSON lines). */
  format?: RecordFormat;
  /** Records per atomic batch (default 1000). */
  batchSize?: number;
  /** CSV: the first row is a header to skip (default: skipped when it reads `key,value`). */
  header?: boolean;
  /** JSON lines: what `value` means (default `text`). */
  valueFormat?: ValueFormat;
  /** Start at this line (JSON lines) or row (CSV), 1-based: how to resume a stopped import. */
  from?: number;
  /** Report and skip malformed lines instead of stopping at the first. */
  skipErrors?: boolean;
}

/** What an import did. */
export interface ImportResult {
  /** Records committed. */
  committed: number;
  /** Malformed lines (or rows) skipped under `skipErrors`, with what was wrong. */
  skipped: { number: number; error: string }[];
}

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * Imports the records of `path` into `db` in atomic batches. On a malformed line (without
 * `skipErrors`) commits the records before it, then throws a {@link CliError} that says how many
 * records were committed and where to resume.
 */
export async function importInto(
  db: DB,
  path: string,
  options: ImportOptions,
  progress?: Progress,
): Promise<ImportResult> {
  const source = new RecordSource(path, {
    format: options.format ?? formatFromPath(path),
    header: options.header,
    valueFormat: options.valueFormat,
  });
  const batchSize = options.batchSize ?? 1000;
  const from = options.from ?? 1;
  const result: ImportResult = { committed: 0, skipped: [] };
  let batch = db.batch();
  let inBatch = 0;
  const commit = async () => {
    if (inBatch === 0) return;
    await batch.write();
    result.committed += inBatch;
    progress?.update(result.committed, source.bytesRead);
    batch = db.batch();
    inBatch = 0;
  };
  for await (const item of source) {
    if (item.number < from) continue;
    if (item.error !== undefined) {
      if (options.skipErrors) {
        result.skipped.push({ number: item.number, error: item.error });
        continue;
      }
      await commit();
      await db.flush();
      const { unit } = source;
      const kept =
        item.number > from
          ? `${plural(result.committed, 'record')} from ${unit}s ${from} to ${item.number - 1} were committed`
          : 'no records were committed';
      throw new CliError(
        `${path}:${item.number}: ${item.error}. The import stopped there: ${kept}. Fix ${unit} ` +
          `${item.number} and resume with --from ${item.number}, or rerun with --skip-errors to skip malformed ${unit}s.`,
        ExitCode.Usage,
      );
    }
    batch.put(item.record.key, item.record.value);
    if (++inBatch >= batchSize) await commit();
  }
  await commit();
  await db.flush();
  return result;
}

/** How many skipped lines `import` lists one by one before it only counts them. */
const LISTED_SKIPS = 20;

/** `velocity import DIR FILE`. */
export async function importFile(
  dir: string,
  path: string,
  options: ImportOptions,
  log: (line: string) => void,
): Promise<void> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CliError(`cannot read ${path}`, ExitCode.Usage);
  }
  await withDatabase(dir, { create: true }, async (db) => {
    const progress = new Progress(`importing ${path}`, size);
    let result: ImportResult;
    try {
      result = await importInto(db, path, options, progress);
    } finally {
      progress.finish();
    }
    const unit = (options.format ?? formatFromPath(path)) === 'csv' ? 'row' : 'line';
    for (const skip of result.skipped.slice(0, LISTED_SKIPS))
      log(`skipped ${unit} ${skip.number}: ${skip.error}`);
    if (result.skipped.length > LISTED_SKIPS)
      log(`... and ${count(result.skipped.length - LISTED_SKIPS)} more malformed ${unit}s`);
    const skipped =
      result.skipped.length > 0 ? `, skipped ${count(result.skipped.length)} malformed ${unit}s` : '';
    log(`imported ${count(result.committed)} records into ${dir}${skipped}`);
  });
}
