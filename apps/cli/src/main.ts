#!/usr/bin/env node
/**
 * Entry point of the `velocity` command.
 * @packageDocumentation
 */
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  log: (line) => process.stderr.write(`${line}\n`),
});
