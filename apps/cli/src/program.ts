/**
 * The `velocity` command's subcommands, built with commander.
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { del, get, put, scan } from './commands/data.js';
import { dump, verify } from './commands/inspect.js';
import { repair } from './commands/repair.js';
import { compact, stats } from './commands/maintenance.js';
import { benchCommand } from './commands/bench.js';
import { exportFile } from './commands/export.js';
import { importFile } from './commands/import.js';
import { backupCommand, checkpoint, restoreCommand } from './commands/copies.js';

/** Where commands print: results to `out`, progress and notes to `log`. */
export interface Io {
  out: (line: string) => void;
  log: (line: string) => void;
  /**
   * Awaited by commands between lines of long output, so a reader that has gone away is noticed
   * (`velocity scan DB | head -2`); it throws to stop the command. Optional: library callers that
   * collect lines need none.
   */
  pace?: () => Promise<void>;
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

const formatOption = () =>
  new Option('-f, --format <format>', 'output format').choices(['text', 'hex', 'json']).default('text');
const hexOption = () => new Option('--hex', 'keys and values on the command line are hex');
const valueFormatOption = (command: 'import' | 'export') =>
  new Option(
    '--value-format <format>',
    command === 'import'
      ? 'JSON lines: "text" stores a string value as its text and any other value as its JSON; "json" stores every value as JSON text, so export --value-format json gives it back exactly'
      : 'JSON lines: "json" writes each stored value (JSON text, as import --value-format json stores it) as a JSON value',
  )
    .choices(['text', 'json'])
    .default('text');

/** The version in this package's `package.json` (one level above both `src/` and `dist/`). */
export function cliVersion(): string {
  const manifest = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

/** Builds the command tree. `io` receives output so tests can capture it. */
export function buildProgram(io: Io): Command {
  const program = new Command('velocity')
    .description('Inspect, query, verify, repair and benchmark Velocity databases.')
    .version(cliVersion(), '-V, --version', 'print the version of the velocity command')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command('get')
    .description('print the value of a key (exit code 3 if absent)')
    .argument('<dir>', 'database directory')
    .argument('<key>', 'the key')
    .addOption(hexOption())
    .addOption(formatOption())
    .action((dir, key, o) => get(dir, key, o, io.out));

  program
    .command('put')
    .description('store a value under a key (creates the database if missing); synced by default')
    .argument('<dir>', 'database directory')
    .argument('<key>', 'the key')
    .argument('<value>', 'the value')
    .addOption(hexOption())
    .option('--ttl <ms>', 'expire the value after this many milliseconds', positiveInt)
    .option('--no-sync', 'do not fsync the write')
    .action((dir, key, value, o) => put(dir, key, value, o));

  program
    .command('del')
    .description(
      'delete a key, or with --range every key in [start, end) as one range deletion; synced by default',
    )
    .argument('<dir>', 'database directory')
    .argument('[key]', 'the key (not with --range)')
    .option('--range <keys...>', 'delete every key k with start <= k < end: --range <start> <end>')
    .addOption(hexOption())
    .option('--no-sync', 'do not fsync the write')
    .action((dir, key, o) => del(dir, key, o));

  program
    .command('scan')
    .description('print entries in key order, one per line (key TAB value in text format)')
    .argument('<dir>', 'database directory')
    .option('--gt <key>', 'only keys greater than this')
    .option('--gte <key>', 'only keys greater than or equal to this')
    .option('--lt <key>', 'only keys less than this')
    .option('--lte <key>', 'only keys less than or equal to this')
    .option('-p, --prefix <prefix>', 'only keys starting with this (replaces the range options)')
    .option('-r, --reverse', 'largest key first')
    .option('-n, --limit <n>', 'at most this many entries', positiveInt)
    .option('-k, --keys-only', 'print keys only')
    .addOption(hexOption())
    .addOption(formatOption())
    .action(async (dir, o) => {
      await scan(dir, o, io);
    });

  program
    .command('stats')
    .description('what the files hold (levels, tables, entries, sizes), then the counters since open')
    .argument('<dir>', 'database directory')
    .option('--json', 'print the raw statistics as JSON')
    .action((dir, o) => stats(dir, o, io.out));

  program
    .command('compact')
    .description(
      'compact the whole database into the deepest level that holds data (level 1 if only level 0 does)',
    )
    .argument('<dir>', 'database directory')
    .action((dir) => compact(dir, io.out));

  program
    .command('import')
    .description('load records from JSON lines ({"key","value"} per line) or CSV (key,value) into a database')
    .argument('<dir>', 'database directory (created if missing)')
    .argument('<file>', 'input file (.csv for CSV, anything else JSON lines)')
    .addOption(new Option('--format <format>', 'input format').choices(['jsonl', 'csv']))
    .option('--batch-size <n>', 'records per atomic batch', positiveInt, 1000)
    .option('--header', 'CSV: the first row is a header (default: skipped if it reads key,value)')
    .addOption(valueFormatOption('import'))
    .option(
      '--from <n>',
      'start at this line (JSON lines) or row (CSV): resumes a stopped import',
      positiveInt,
    )
    .option('--skip-errors', 'skip malformed lines (each is reported) instead of stopping at the first')
    .action((dir, file, o) => importFile(dir, file, o, io.log));

  program
    .command('export')
    .description('write every record to JSON lines or CSV (FILE "-" is standard output)')
    .argument('<dir>', 'database directory')
    .argument('<file>', 'output file')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']))
    .addOption(valueFormatOption('export'))
    .action((dir, file, o) => exportFile(dir, file, o, io));

  program
    .command('dump')
    .description(
      'print a .sst table (properties and entries), a .log or a MANIFEST file (records), human-readable',
    )
    .argument('<file>', 'the file')
    .option('-n, --limit <n>', 'at most this many entries or records', positiveInt)
    .action((file, o) => dump(file, io, o));

  program
    .command('verify')
    .description('read every block and record of a database and check every checksum (exit code 6 on damage)')
    .argument('<dir>', 'database directory')
    .action((dir) => verify(dir, io.out, io.log));

  program
    .command('repair')
    .description(
      'salvage what is readable into a new database; the originals are moved to <dir>.damaged-<time>',
    )
    .argument('<dir>', 'database directory')
    .action((dir) => repair(dir, io.out));

  program
    .command('checkpoint')
    .description(
      'copy the database as of now into a new directory (tables hard-linked where possible); needs the lock',
    )
    .argument('<dir>', 'database directory')
    .argument('<target>', 'new directory (missing or empty)')
    .action((dir, target) => checkpoint(dir, target, io.out));

  program
    .command('backup')
    .description(
      'add a numbered backup to a backup directory, copying only the tables it lacks; needs the lock',
    )
    .argument('<dir>', 'database directory')
    .argument('<backup-dir>', 'backup directory (created if missing)')
    .action((dir, backupDir) => backupCommand(dir, backupDir, io.out));

  program
    .command('restore')
    .description('restore a backup into a new database directory, checking every file')
    .argument('<backup-dir>', 'backup directory')
    .argument('<id>', 'the backup number (velocity backup prints it)', positiveInt)
    .argument('<target>', 'new directory (missing or empty)')
    .action((backupDir, id, target) => restoreCommand(backupDir, id, target, io.out));

  program
    .command('bench')
    .description('run the benchmark suite against LevelDB, LMDB and SQLite (see apps/bench)')
    .option('--preset <name>', 'small, leveldb, rocksdb or ycsb', 'small')
    .option('--engines <list>', 'comma-separated engines')
    .option('--mode <list>', 'typical,fast')
    .option('--benchmarks <list>', 'comma-separated benchmarks')
    .option('--scale <factor>', 'multiply the preset size', Number)
    .option('--keys <shape>', 'decimal (fixed-width decimals, default) or random (uniform random bytes)')
    .option('--skip <list>', 'engine:mode pairs not to run, e.g. lmdb:typical')
    .option('--repeat <n>', 'run everything n times, round by round, and report medians', Number)
    .option('--budget-ms <ms>', 'time box of one read or mixed benchmark (fills always finish)', Number)
    .option('--json <file>', 'write the JSON report here')
    .action((o) => benchCommand(o, io));

  return program;
}
