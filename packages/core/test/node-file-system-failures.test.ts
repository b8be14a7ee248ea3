// NodeFileSystem when the operating system fails or races: directory syncs on platforms that cannot
// sync directories, fsync errors, closed handles, and the cross-process lock against unreadable,
// foreign, reused-pid and concurrently replaced lock files. Failures that a real disk cannot be made
// to produce on demand are injected by wrapping a few `node:fs` calls (the rest stay real).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VelocityError } from '../src/index.js';
import { NodeFileSystem } from '../src/node/index.js';
import { fromNodeError, nodeCall } from '../src/node/errors.js';
import { caught, checkClosedWritable } from './helpers.js';

type Hook = ((...args: unknown[]) => unknown) | undefined;
const hooks = vi.hoisted(() => ({}) as Record<'openSync' | 'fsyncSync' | 'renameSync', Hook>);

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const wrap =
    <K extends 'openSync' | 'fsyncSync' | 'renameSync'>(name: K) =>
    (...args: unknown[]) =>
      (hooks[name] ?? (real[name] as (...a: unknown[]) => unknown))(...args);
  const wrapped = {
    ...real,
    openSync: wrap('openSync'),
    fsyncSync: wrap('fsyncSync'),
    renameSync: wrap('renameSync'),
  };
  return { ...wrapped, default: wrapped };
});

// This file's own `node:fs` is the wrapped one too; the tests work with the real one.
const realFs = await vi.importActual<typeof import('node:fs')>('node:fs');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = realFs;

/** An error as Node's fs throws it. */
function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'velocity-nodefs-fail-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  hooks.openSync = hooks.fsyncSync = hooks.renameSync = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Lets `openSync` through to the real one, recording the descriptors it opens. */
function recordOpens(): number[] {
  const opened: number[] = [];
  hooks.openSync = (...args) => {
    const fd = realFs.openSync(...(args as Parameters<typeof realFs.openSync>));
    opened.push(fd);
    return fd;
  };
  return opened;
}

describe('NodeFileSystem.syncDirectory', () => {
  it('is a no-op where the platform cannot open a directory for syncing (EISDIR, EPERM)', () => {
    const fs = new NodeFileSystem();
    const dir = tempDir();
    for (const code of ['EISDIR', 'EPERM']) {
      hooks.openSync = () => {
        throw errno(code);
      };
      expect(() => fs.syncDirectory(dir)).not.toThrow();
    }
  });

  it('is a no-op where the platform refuses to fsync a directory (EINVAL), and closes it', () => {
    const fs = new NodeFileSystem();
    const dir = tempDir();
    const opened = recordOpens();
    hooks.fsyncSync = () => {
      throw errno('EINVAL');
    };
    fs.syncDirectory(dir);
    expect(opened).toHaveLength(1);
    expect(() => realFs.fstatSync(opened[0])).toThrow(/EBADF/);
  });

  it('reports a failed directory fsync (EIO) as IO_ERROR with its errno, and still closes it', () => {
    const fs = new NodeFileSystem();
    const dir = tempDir();
    const opened = recordOpens();
    hooks.fsyncSync = () => {
      throw errno('EIO');
    };
    const error = caught(() => fs.syncDirectory(dir));
    expect(error).toMatchObject({ code: 'IO_ERROR', errno: 'EIO', path: dir });
    expect(error.message).toContain('fsync');
    expect(() => realFs.fstatSync(opened[0])).toThrow(/EBADF/);
  });

  it('reports a missing directory as NOT_FOUND', () => {
    const error = caught(() => new NodeFileSystem().syncDirectory(join(tempDir(), 'missing')));
    expect(error).toMatchObject({ code: 'NOT_FOUND', errno: 'ENOENT' });
  });
});

describe('NodeFileSystem handles', () => {
  it('a closed writable file refuses appends and syncs with CLOSED; flush and close are no-ops', () => {
    const fs = new NodeFileSystem();
    const path = join(tempDir(), 'w');
    checkClosedWritable(fs.openWritable(path));
    expect([...readFileSync(path)]).toEqual([1, 2]);
  });

  it('a closed readable file refuses reads with CLOSED; a second close is a no-op', () => {
    const fs = new NodeFileSystem();
    const path = join(tempDir(), 'r');
    writeFileSync(path, 'abc');
    const r = fs.openReadable(path);
    r.close();
    expect(caught(() => r.read(0, 1))).toMatchObject({ code: 'CLOSED', path });
    r.close?.();
  });

  it('reports a read that fails as IO_ERROR naming the file', () => {
    const fs = new NodeFileSystem();
    const dir = tempDir();
    // Reading a directory's descriptor fails with EISDIR.
    const r = fs.openReadable(dir);
    expect(caught(() => r.read(0, 1))).toMatchObject({ code: 'IO_ERROR', errno: 'EISDIR', path: dir });
    r.close?.();
  });
});

describe('Node error conversion', () => {
  it('keeps VelocityErrors as they are, and words non-Error throws', () => {
    const original = new VelocityError('CORRUPTION', 'bad');
    expect(caught(() => nodeCall('read', '/x', () => thrower(original)))).toBe(original);
    const converted = fromNodeError('weird', 'stat', '/y');
    expect(converted).toMatchObject({ code: 'IO_ERROR', path: '/y' });
    expect(converted.message).toBe('stat /y: weird');
  });
});

function thrower(error: unknown): never {
  throw error;
}

describe('NodeFileSystem.lock', () => {
  const start = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  };
  const hasProc = realFs.existsSync(`/proc/${process.pid}/stat`);

  it('takes over a lock file whose content cannot be read as an owner', () => {
    const dir = tempDir();
    for (const content of ['', 'not json', '{"pid":"12"}']) {
      writeFileSync(join(dir, 'LOCK'), content);
      const lock = new NodeFileSystem().lock(join(dir, 'LOCK'));
      expect(JSON.parse(readFileSync(join(dir, 'LOCK'), 'utf8')).pid).toBe(process.pid);
      lock.release();
    }
  });

  it('keeps out a handle when the lock file names this process (another thread holds it)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: process.pid, start: '' }));
    const error = caught(() => new NodeFileSystem().lock(join(dir, 'LOCK')));
    expect(error.code).toBe('LOCKED');
    expect(error.message).toContain(String(process.pid));
  });

  it.runIf(hasProc)('keeps out a live holder, but takes over from a reused pid', () => {
    const dir = tempDir();
    const path = join(dir, 'LOCK');
    const holder = process.ppid;
    writeFileSync(path, JSON.stringify({ pid: holder, start: start(holder) }));
    expect(caught(() => new NodeFileSystem().lock(path)).code).toBe('LOCKED');
    // The same pid with another start time is a different (later) process: the holder is gone.
    writeFileSync(path, JSON.stringify({ pid: holder, start: `${start(holder)}0` }));
    const lock = new NodeFileSystem().lock(path);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(realFs.existsSync(path)).toBe(false);
  });

  it.runIf(hasProc)(
    'puts back a lock that a live process took over while the stale one was moved aside',
    () => {
      const dir = tempDir();
      const path = join(dir, 'LOCK');
      const rival = { pid: process.ppid, start: start(process.ppid) };
      writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 4321, start: '1' })); // a dead holder
      hooks.renameSync = (from, to) => {
        // Between our check and our move, the rival replaced the stale lock with its own.
        writeFileSync(from as string, JSON.stringify(rival));
        realFs.renameSync(from as string, to as string);
      };
      expect(caught(() => new NodeFileSystem().lock(path)).code).toBe('LOCKED');
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(rival);
      expect(realFs.readdirSync(dir)).toEqual(['LOCK']);
    },
  );

  it('gives up with LOCKED when the stale lock keeps being moved by others', () => {
    const dir = tempDir();
    const path = join(dir, 'LOCK');
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 4321, start: '1' }));
    hooks.renameSync = () => {
      throw errno('ENOENT');
    };
    const error = caught(() => new NodeFileSystem().lock(path));
    expect(error.code).toBe('LOCKED');
    expect(error.message).toContain('could not take the lock');
    expect(realFs.readdirSync(dir)).toEqual(['LOCK']);
  });

  it('reports a lock in a missing directory as NOT_FOUND and leaves nothing behind', () => {
    const dir = tempDir();
    const error = caught(() => new NodeFileSystem().lock(join(dir, 'missing', 'LOCK')));
    expect(error.code).toBe('NOT_FOUND');
    expect(realFs.readdirSync(dir)).toEqual([]);
  });
});
