/**
 * The `velocity` command as a library: `run(args, io)` executes a command line and returns its exit
 * code, which is how the tests drive it.
 * @packageDocumentation
 */
export { CliError, ExitCode } from './exit-codes.js';
export { buildProgram, type Io } from './program.js';
export { run } from './run.js';
