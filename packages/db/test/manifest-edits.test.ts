// A manifest whose records are sound but whose edits do not add up is refused at open, with an error
// that says what is wrong, and the directory is left as it was: pointing CURRENT back at the original
// manifest opens the database with its data.
import type { MemoryFileSystem } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';
import { ManifestWriter, readCurrent, readManifest, writeCurrent } from '../src/manifest.js';
import { TableFile } from '../src/file-meta.js';
import { VersionEdit } from '../src/version-edit.js';
import { dump, openMemory, rejection } from './helpers.js';

const DIR = '/db';
const FORGED = 900;

/** A database with one table on an in-memory file system, closed; and what its manifest holds. */
async function oneTable() {
  const { db, fs } = await openMemory();
  await db.put('a', '1');
  await db.put('b', '2');
  await db.flush();
  await db.close();
  const original = readCurrent(fs, DIR);
  const edits = readManifest(fs, DIR, original).edits;
  const comparatorName = edits.find((e) => e.comparatorName !== undefined)?.comparatorName;
  const table = edits.flatMap((e) => e.newFiles).at(-1)?.file;
  const last = edits.at(-1) as VersionEdit;
  if (comparatorName === undefined || table === undefined) throw new Error('no comparator or table recorded');
  return { fs, original, comparatorName, table, last };
}

/** Writes manifest FORGED holding `edits` and points CURRENT at it. */
function forge(fs: MemoryFileSystem, edits: VersionEdit[]): void {
  const [first, ...rest] = edits;
  const writer = ManifestWriter.create(fs, DIR, FORGED, first as VersionEdit);
  for (const edit of rest) writer.append(edit);
  writer.close();
  writeCurrent(fs, DIR, FORGED);
}

/** A snapshot edit naming the comparator and every counter, with `files` added at their levels. */
function snapshot(
  comparatorName: string,
  last: VersionEdit,
  files: [level: number, file: TableFile][],
): VersionEdit {
  const edit = new VersionEdit();
  edit.comparatorName = comparatorName;
  edit.logNumber = last.logNumber;
  edit.nextFileNumber = (last.nextFileNumber ?? 0) + 1000;
  edit.lastSequence = last.lastSequence;
  for (const [level, file] of files) edit.addFile(level, file);
  return edit;
}

/** `table` under another file number. */
function renumbered(table: TableFile, id: number): TableFile {
  return new TableFile({ ...table.fields(), id });
}

async function expectRefused(
  setup: Awaited<ReturnType<typeof oneTable>>,
  edits: VersionEdit[],
  code: string,
  message: RegExp,
): Promise<void> {
  const { fs, original } = setup;
  forge(fs, edits);
  const before = fs.list(DIR);
  const error = await rejection(DB.open(DIR, { fs }));
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(fs.list(DIR)).toEqual(before);
  writeCurrent(fs, DIR, original);
  const db = await DB.open(DIR, { fs });
  expect(dump(db)).toEqual([
    ['a', '1'],
    ['b', '2'],
  ]);
  await db.close();
}

describe('a manifest whose edits do not add up', () => {
  it('is CORRUPTION when no edit records the last sequence', async () => {
    const setup = await oneTable();
    const edit = snapshot(setup.comparatorName, setup.last, [[0, setup.table]]);
    edit.lastSequence = undefined;
    await expectRefused(setup, [edit], 'CORRUPTION', /lacks log number, next file number or last sequence/);
  });

  it('is CORRUPTION when a file is added to a level beyond the 64 levels there can be', async () => {
    const setup = await oneTable();
    const edit = snapshot(setup.comparatorName, setup.last, [[64, setup.table]]);
    await expectRefused(setup, [edit], 'CORRUPTION', /level 64 is beyond the 64 levels/);
  });

  it('is CORRUPTION when two files of level 1 overlap', async () => {
    const setup = await oneTable();
    const edit = snapshot(setup.comparatorName, setup.last, [
      [1, setup.table],
      [1, renumbered(setup.table, setup.table.id + 500)],
    ]);
    await expectRefused(setup, [edit], 'CORRUPTION', /overlap in level 1/);
  });

  it('is INVALID_ARGUMENT when files sit deeper than the compaction strategy has levels', async () => {
    const setup = await oneTable();
    const edit = snapshot(setup.comparatorName, setup.last, [[10, setup.table]]);
    await expectRefused(
      setup,
      [edit],
      'INVALID_ARGUMENT',
      /files in level 10 but the compaction strategy uses 7 levels/,
    );
  });

  it('is INVALID_ARGUMENT when a later edit names another comparator', async () => {
    const setup = await oneTable();
    const later = new VersionEdit();
    later.comparatorName = 'reverse-bytewise';
    await expectRefused(
      setup,
      [snapshot(setup.comparatorName, setup.last, [[0, setup.table]]), later],
      'INVALID_ARGUMENT',
      /created with comparator reverse-bytewise/,
    );
  });
});
