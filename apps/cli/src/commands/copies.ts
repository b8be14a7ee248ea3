/**
 * `checkpoint`, `backup` and `restore`: copies of a database.
 * @module
 */
import { withDatabase } from '../open.js';

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
