import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB } from '../src/index.js';
import { key, rejection, text, value } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-db-node-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('on the Node file system (loaded lazily)', () => {
  it('writes, flushes, compacts, reopens', async () => {
    const dir = join(root, 'a');
    const db = await DB.open(dir, { memtableSize: 64 * 1024 });
    for (let i = 0; i < 3000; i++) await db.put(key(i), value(i));
    await db.put('synced', 'yes', { sync: true });
    await db.compactRange();
    await db.close();
    expect(readdirSync(dir)).toContain('VELOCITY');
    const again = await DB.open(dir);
    for (let i = 0; i < 3000; i += 101) expect(text(again.getSync(key(i)))).toBe(value(i));
    expect(text(again.getSync('synced'))).toBe('yes');
    await again.close();
  });

  it('locks the directory against a second handle', async () => {
    const dir = join(root, 'b');
    const db = await DB.open(dir);
    expect((await rejection(DB.open(dir))).code).toBe('LOCKED');
    await db.close();
    const again = await DB.open(dir);
    await again.close();
  });

  it('leaves a foreign directory untouched', async () => {
    const dir = join(root, 'c');
    const db = await DB.open(join(root, 'c-helper')); // creates root/c-helper; unrelated
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'photo.jpg'), 'not a database');
    expect((await rejection(DB.open(dir))).code).toBe('NOT_A_DATABASE');
    expect(readdirSync(dir)).toEqual(['photo.jpg']);
  });
});
