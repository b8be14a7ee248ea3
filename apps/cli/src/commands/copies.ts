/**
 * `checkpoint`, `backup` and `restore`: copies of a database.
 * @module
 */
import { isVelocityError } from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import { backup, restore } from '@velocity/db';
import { CliError, ExitCode } from '../exit-codes.js';
import { toCliError, withDatabase } from '../open.js';

/** `velocity checkpoint DIR TARGET`: an openable copy of the database, tables hard-linked where possible. */
export async function checkpoint(dir: string, target: string, out: (line: string) => void): Promise<void> {
  await withDatabase(dir, {}, async (db) => {
    const started = performance.now();
    const info = await db.checkpoint(target);
    out(
      `checkpoint of ${dir} in ${target} (${((performance.now() - started) / 1000).toFixed(2)} s): ` +
        `${info.linkedTables} tables linked, ${info.copiedTables} copied, ${info.bytesCopied} bytes copied, ` +
        `up to sequence ${info.sequence}`,
    );
  });
}

/** `velocity backup DIR BACKUP_DIR`: a new numbered backup, copying only the tables the directory lacks. */
export async function backupCommand(
  dir: string,
  backupDir: string,
  out: (line: string) => void,
): Promise<void> {
  await withDatabase(dir, {}, async (db) => {
    const made = await backup(db, backupDir);
    out(
      `backup ${made.id} of ${dir} in ${backupDir}: ${made.files.length} files, ${made.filesCopied} copied ` +
        `(${made.bytesCopied} bytes), up to sequence ${made.sequence}`,
    );
  });
}

/** `velocity restore BACKUP_DIR ID TARGET`: backup ID, checked file by file, as a new database. */
export async function restoreCommand(
  backupDir: string,
  id: number,
  target: string,
  out: (line: string) => void,
): Promise<void> {
  try {
    const info = await restore(backupDir, id, target, { fs: new NodeFileSystem() });
    out(`restored backup ${info.id} of ${backupDir} (taken ${info.createdAt}) into ${target}`);
  } catch (error) {
    if (isVelocityError(error, 'NOT_FOUND')) throw new CliError(error.message, ExitCode.NotADatabase);
    throw toCliError(error, backupDir);
  }
}
