import { isVelocityError } from '@velocity/core';
import { DB, type DBOptions } from '@velocity/db';
import { CliError, ExitCode } from './exit-codes.js';

/** Maps an error from the engine to the command's exit code and message. */
export function toCliError(error: unknown, dir?: string): unknown {
  if (error instanceof CliError || !isVelocityError(error)) return error;
  const where = dir === undefined ? '' : `${dir}: `;
  switch (error.code) {
    case 'LOCKED':
      return new CliError(
        `${where}the database is locked by another process (or another handle)`,
        ExitCode.Locked,
      );
    case 'NOT_A_DATABASE':
      return new CliError(`${where}not a Velocity database`, ExitCode.NotADatabase);
    case 'NOT_FOUND':
      return new CliError(
        dir === undefined ? 'there is no database there' : `there is no database in ${dir}`,
        ExitCode.NotADatabase,
      );
    case 'CORRUPTION':
      return new CliError(
        `${where}damaged data: ${error.message} (try 'velocity verify' and 'velocity repair')`,
        ExitCode.Damaged,
      );
    case 'IO_ERROR':
      return new CliError(
        `${where}I/O error${error.errno ? ` ${error.errno}` : ''}: ${error.message}`,
        ExitCode.IoError,
      );
    case 'FORMAT_VERSION':
      return new CliError(
        `${where}written by a newer Velocity format: ${error.message}`,
        ExitCode.FormatVersion,
      );
    case 'INVALID_ARGUMENT':
      return new CliError(`${where}${error.message}`, ExitCode.Usage);
    default:
      return new CliError(`${where}${error.code}: ${error.message}`, ExitCode.Failure);
  }
}

/** Opens the database at `dir` for a command, turning open failures into clear CLI errors. */
export async function openDatabase(dir: string, options: DBOptions & { create?: boolean } = {}): Promise<DB> {
  const { create = false, ...rest } = options;
  try {
    return await DB.open(dir, { createIfMissing: create, ...rest });
  } catch (error) {
    throw toCliError(error, dir);
  }
}

/** Runs `body` with the database open, and closes it whatever happens. */
export async function withDatabase<T>(
  dir: string,
  options: DBOptions & { create?: boolean },
  body: (db: DB) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(dir, options);
  try {
    return await body(db);
  } catch (error) {
    throw toCliError(error, dir);
  } finally {
    await db.close();
  }
}
