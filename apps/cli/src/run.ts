import { CommanderError } from 'commander';
import { CliError, ExitCode } from './exit-codes.js';
import { toCliError } from './open.js';
import { isClosedPipe } from './output.js';
import { buildProgram, type Io } from './program.js';

/** Runs the `velocity` command with `args` (without `node` and the script) and returns the exit code. */
export async function run(args: string[], io: Io): Promise<number> {
  const program = buildProgram(io).exitOverride();
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(args, { from: 'user' });
    return ExitCode.Ok;
  } catch (raw) {
    if (raw instanceof CommanderError) {
      // Help and version requests end with code 0; usage errors were already printed by commander.
      return raw.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    // The reader of our output went away (`velocity scan DB | head`): stop quietly, as Unix tools do.
    if (isClosedPipe(raw)) return ExitCode.Ok;
    const error = toCliError(raw);
    if (error instanceof CliError) {
      io.log(`velocity: ${error.message}`);
      return error.exitCode;
    }
    io.log(`velocity: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return ExitCode.Failure;
  }
}
