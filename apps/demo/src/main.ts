#!/usr/bin/env node
/**
 * A short tour of Velocity: opens a database directory, writes and reads a few thousand records,
 * scans a range, takes a snapshot, flushes and compacts, closes, reopens and checks that everything
 * came back. Usage: `velocity-demo [directory]` (default: a fresh folder under the system temp dir).
 * @packageDocumentation
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from './demo.js';

const given = process.argv[2];
const dir = given ?? mkdtempSync(join(tmpdir(), 'velocity-demo-'));
try {
  const summary = await runDemo(dir, (line) => console.log(line));
  console.log(`\nDemo finished: ${summary.records} records written, read back and verified after reopen.`);
} catch (error) {
  console.error('Demo failed:', error);
  process.exitCode = 1;
} finally {
  if (given === undefined) rmSync(dir, { recursive: true, force: true });
}
