/**
 * Exit codes of the `velocity` command. Stable: scripts may rely on them.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | an unexpected error |
 * | 2 | bad usage: unknown command or option, malformed argument |
 * | 3 | `get` of a key that is not in the database |
 * | 4 | the database is locked by another process |
 * | 5 | the path is not a Velocity database (or does not exist) |
 * | 6 | damage found (`verify`), or a damaged file stopped the command |
 * | 7 | an I/O error (disk full, permissions) |
 * | 8 | the database was written by a newer format version |
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  KeyNotFound: 3,
  Locked: 4,
  NotADatabase: 5,
  Damaged: 6,
  IoError: 7,
  FormatVersion: 8,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that ends the command with a chosen exit code and a one-line message. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
