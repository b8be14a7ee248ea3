import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isVelocityError } from '../src/index.js';
import { NodeFileSystem } from '../src/node/index.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'velocity-nodefs-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** What `fn` throws, or undefined. */
function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('NodeFileSystem', () => {
  it('buffers appends until flush and reports sizes', () => {
    const fs = new NodeFileSystem();
    const dir = tempDir();
    const f = fs.openWritable(join(dir, 'a'));
    const reused = new Uint8Array([1, 2, 3]);
    f.append(reused);
    reused[0] = 9; // the file copied the bytes: later changes to the caller's array do not leak in
    expect(f.size).toBe(3);
    expect(fs.size(join(dir, 'a'))).toBe(0);
    f.flush();
    expect([...fs.readFile(join(dir, 'a'))]).toEqual([1, 2, 3]);
    f.append(new Uint8Array(100_000).fill(7));
    f.sync();
    f.close();
    expect(fs.size(join(dir, 'a'))).toBe(100_003);
    const r = fs.openReadable(join(dir, 'a'));
    expect([...r.read(1, 3)]).toEqual([2, 3, 7]);
    expect(r.read(100_000, 10).length).toBe(3);
    r.close();
  });

  it('maps errors to codes', () => {
    const fs = new NodeFileSystem();
    const dir = tempDir();
    const missing = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isVelocityError(e, 'NOT_FOUND');
      }
      return false;
    };
    expect(missing(() => fs.readFile(join(dir, 'nope')))).toBe(true);
    expect(missing(() => fs.openReadable(join(dir, 'nope')))).toBe(true);
    expect(missing(() => fs.remove(join(dir, 'nope')))).toBe(true);
    writeFileSync(join(dir, 'file'), 'x');
    try {
      fs.mkdir(join(dir, 'file', 'sub'));
      expect.unreachable();
    } catch (e) {
      expect(isVelocityError(e, 'IO_ERROR')).toBe(true);
      expect((e as { errno?: string }).errno).toBe('ENOTDIR');
    }
  });

  it('appends to an existing file, renames over a target, lists and syncs directories', () => {
    const fs = new NodeFileSystem();
    const dir = tempDir();
    let f = fs.openWritable(join(dir, 'x'));
    f.append(new Uint8Array([1]));
    f.close();
    f = fs.openWritable(join(dir, 'x'), { append: true });
    expect(f.size).toBe(1);
    f.append(new Uint8Array([2]));
    f.close();
    writeFileSync(join(dir, 'y'), 'old');
    fs.rename(join(dir, 'x'), join(dir, 'y'));
    fs.syncDirectory(dir);
    expect(fs.list(dir)).toEqual(['y']);
    expect([...fs.readFile(join(dir, 'y'))]).toEqual([1, 2]);
  });

  it('locks against a second handle in this process, and releases', () => {
    const fs = new NodeFileSystem();
    const dir = tempDir();
    const lock = fs.lock(join(dir, 'LOCK'));
    expect(() => fs.lock(join(dir, 'LOCK'))).toThrowError(/lock is held/);
    expect(JSON.parse(readFileSync(join(dir, 'LOCK'), 'utf8')).pid).toBe(process.pid);
    lock.release();
    fs.lock(join(dir, 'LOCK')).release();
  });

  it('keeps another process out, and takes over the lock after that process is SIGKILLed', async () => {
    const fs = new NodeFileSystem();
    const dir = tempDir();
    const lockPath = join(dir, 'LOCK');
    const entry = fileURLToPath(new URL('../dist/node/index.js', import.meta.url));
    const script = `import { NodeFileSystem } from ${JSON.stringify(entry)};
      new NodeFileSystem().lock(${JSON.stringify(lockPath)}); console.log('locked'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('locked') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    let error: unknown;
    try {
      fs.lock(lockPath);
    } catch (e) {
      error = e;
    }
    expect(isVelocityError(error, 'LOCKED')).toBe(true);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const lock = fs.lock(lockPath); // the holder is dead: its lock is stale
    lock.release();
  }, 30_000);

  it('treats a lock file of a process that no longer exists as stale', () => {
    const fs = new NodeFileSystem();
    const dir = tempDir();
    const path = join(dir, 'LOCK');
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 12345, start: '1' }));
    const lock = fs.lock(path);
    // The stale file was replaced by one naming this process, and the lock really is held.
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    expect(
      isVelocityError(
        catchError(() => fs.lock(path)),
        'LOCKED',
      ),
    ).toBe(true);
    lock.release();
    fs.lock(path).release();
  });
});
