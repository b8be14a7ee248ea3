import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { MemoryFileSystem, fromUtf8, utf8 } from '@velocity/core';
import { DB, type DBOptions } from '../src/index.js';

/** Small memtables and files so that tests exercise flushes and compactions quickly. */
export const SMALL: DBOptions = { memtableSize: 64 * 1024, blockSize: 256 };

/** Opens a database on a (new or given) in-memory file system. */
export async function openMemory(
  options: DBOptions = {},
  fs: MemoryFileSystem = new MemoryFileSystem(),
  location = '/db',
): Promise<{ db: DB; fs: MemoryFileSystem }> {
  const db = await DB.open(location, { fs, ...options });
  return { db, fs };
}

/** Key `i` zero-padded so that string order is numeric order. */
export function key(i: number): string {
  return `key${String(i).padStart(6, '0')}`;
}

/** A value derived from `i` and a version. */
export function value(i: number, version = 0, size = 20): string {
  return `v${version}-${i}-`.padEnd(size, 'x');
}

/** Decodes a value or returns undefined. */
export function text(v: Uint8Array | undefined): string | undefined {
  return v === undefined ? undefined : fromUtf8(v);
}

/** All entries of the database as strings. */
export function dump(db: DB, options: Parameters<DB['iterator']>[0] = {}): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of db.iterator(options)) out.push([fromUtf8(k), fromUtf8(v)]);
  return out;
}

/** The rejection of `promise` (fails if it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ code?: string; cause?: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

/** What `fn` throws (fails if it returns). */
export function thrown(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a throw');
}

export { utf8 };

/**
 * A maker of temporary directories on the real disk, each removed after the test that made it.
 * Call at the top level of a test file.
 */
export function useTempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** Replaces the file at `path` with `text`, synced (for damage and leftover-file tests). */
export function writeText(fs: MemoryFileSystem, path: string, text: string): void {
  const f = fs.openWritable(path);
  f.append(utf8(text));
  f.sync();
  f.close();
}
