#!/usr/bin/env node
/**
 * Entry point of the `velocity` command.
 * @packageDocumentation
 */
import { LineOutput } from './output.js';
import { run } from './run.js';

const stdout = new LineOutput(process.stdout);
process.exitCode = await run(process.argv.slice(2), {
  out: (line) => stdout.line(line),
  log: (line) => process.stderr.write(`${line}\n`),
  pace: () => stdout.pace(),
});
