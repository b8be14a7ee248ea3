/**
 * `velocity repair`: `repair` of `@velocity/db` (salvage what is readable into a new database; the
 * originals move to `<dir>.damaged-<time>`), printed.
 * @module
 */
import { NodeFileSystem } from '@velocity/core/node';
import { repair as repairDatabase, type RepairReport } from '@velocity/db';
import { toCliError } from '../open.js';

/** `velocity repair DIR`: the report of `repair` from `@velocity/db`, with errors as CLI errors. */
export async function repairDirectory(dir: string, now = new Date()): Promise<RepairReport> {
  try {
    return await repairDatabase(dir, { fs: new NodeFileSystem(), now });
  } catch (error) {
    throw toCliError(error, dir);
  }
}

/** Prints the repair report. */
export async function repair(dir: string, out: (line: string) => void): Promise<void> {
  const report = await repairDirectory(dir);
  out(`repaired ${dir}: ${report.keys} live keys written from ${report.entriesRead} entries read`);
  out(`the original files are in ${report.movedTo}`);
  if (report.losses.length === 0) out('nothing was lost');
  for (const loss of report.losses) out(`lost: ${loss}`);
}
