// What the open does with the files it finds: files of others are left alone, our leftover temporary
// files are removed, a damaged format marker is CORRUPTION, and a half-created database that holds a
// file of someone else's is not taken for ours.
import { MemoryFileSystem } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';
import { dump, openMemory, rejection, writeText } from './helpers.js';

describe('files in the database directory', () => {
  it("leaves other programs' files alone and removes its own leftover temporary files", async () => {
    const { db, fs } = await openMemory();
    await db.put('k', 'v');
    await db.close();
    writeText(fs, '/db/notes.txt', 'mine');
    writeText(fs, '/db/000777.dbtmp', 'half-written table');
    writeText(fs, '/db/CURRENT.dbtmp', 'half-written CURRENT');
    const again = await DB.open('/db', { fs });
    expect(dump(again)).toEqual([['k', 'v']]);
    await again.flush(); // obsolete files are swept after a version change at the latest
    const names = fs.list('/db');
    expect(names).toContain('notes.txt');
    expect(names).not.toContain('000777.dbtmp');
    expect(names).not.toContain('CURRENT.dbtmp');
    await again.close();
    expect(new TextDecoder().decode(fs.readFile('/db/notes.txt'))).toBe('mine');
  });

  it('refuses a format marker with version 0 as CORRUPTION', async () => {
    const { db, fs } = await openMemory();
    await db.close();
    writeText(fs, '/db/VELOCITY', 'velocity\nformat-version 0\n');
    const error = await rejection(DB.open('/db', { fs }));
    expect(error.code).toBe('CORRUPTION');
    expect(error.message).toMatch(/format version 0/);
  });

  it('does not finish an interrupted creation in a directory that also holds a foreign file', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/db');
    writeText(fs, '/db/VELOCITY', 'velocity\nformat-version 1\n'); // the marker, but no CURRENT yet
    writeText(fs, '/db/photo.jpg', 'not ours');
    const error = await rejection(DB.open('/db', { fs }));
    expect(error.code).toBe('NOT_A_DATABASE');
    expect(fs.list('/db')).toEqual(['VELOCITY', 'photo.jpg']);
  });
});
