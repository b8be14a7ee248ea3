// MemoryFileSystem refuses what a real file system refuses, with the same codes and errnos, so that
// engine tests on it exercise the same error paths as on disk; and FaultInjectionFileSystem counts.
import { describe, expect, it } from 'vitest';
import { FaultInjectionFileSystem, MemoryFileSystem, basenameOf, dirnameOf } from '../src/index.js';
import { caught, checkClosedWritable } from './helpers.js';

describe('MemoryFileSystem errors', () => {
  it('treats a trailing slash as naming the same directory', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d/');
    fs.openWritable('/d/f').close();
    expect(fs.exists('/d/')).toBe(true);
    expect(fs.list('/d/')).toEqual(['f']);
    expect(fs.list('/')).toEqual(['d']);
    fs.syncDirectory('/d/');
  });

  it('refuses to open a directory or a file in a missing directory for writing', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    expect(caught(() => fs.openWritable('/d'))).toMatchObject({ code: 'IO_ERROR', errno: 'EISDIR' });
    expect(caught(() => fs.openWritable('/e/f'))).toMatchObject({ code: 'NOT_FOUND', errno: 'ENOENT' });
    expect(fs.exists('/e/f')).toBe(false);
  });

  it('refuses to list or sync a missing directory, and to make a directory under a file', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    fs.openWritable('/d/file').close();
    expect(caught(() => fs.list('/nope')).code).toBe('NOT_FOUND');
    expect(caught(() => fs.syncDirectory('/nope')).code).toBe('NOT_FOUND');
    expect(caught(() => fs.mkdir('/d/file/sub'))).toMatchObject({ code: 'IO_ERROR', errno: 'ENOTDIR' });
    expect(fs.list('/d')).toEqual(['file']);
  });

  it('refuses to rename into a missing directory and keeps the source', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const f = fs.openWritable('/d/a');
    f.append(new Uint8Array([1]));
    f.close();
    expect(caught(() => fs.rename('/d/a', '/missing/b')).code).toBe('NOT_FOUND');
    expect(caught(() => fs.rename('/d/nope', '/d/b')).code).toBe('NOT_FOUND');
    expect([...fs.readFile('/d/a')]).toEqual([1]);
  });

  it('a closed writable file refuses appends and syncs with CLOSED; flush and close are no-ops', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    checkClosedWritable(fs.openWritable('/d/a'));
    expect([...fs.readFile('/d/a')]).toEqual([1, 2]);
  });

  it('corrupt() refuses a range past the end of the file', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const f = fs.openWritable('/d/a');
    f.append(new Uint8Array([1, 2]));
    f.close();
    expect(() => fs.corrupt('/d/a', 1, new Uint8Array([9, 9]))).toThrow(RangeError);
    fs.corrupt('/d/a', 1, new Uint8Array([9]));
    expect([...fs.readFile('/d/a')]).toEqual([1, 9]);
  });

  it("a dead process's lock handle does not release the next process's lock", () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const old = fs.lock('/d/LOCK');
    const next = fs.kill();
    next.lock('/d/LOCK');
    old.release();
    expect(caught(() => next.lock('/d/LOCK')).code).toBe('LOCKED');
  });
});

describe('path helpers', () => {
  it('name the directory and the last segment of relative and absolute paths', () => {
    expect(dirnameOf('name')).toBe('.');
    expect(dirnameOf('/name')).toBe('/');
    expect(dirnameOf('/a/b')).toBe('/a');
    expect(basenameOf('name')).toBe('name');
    expect(basenameOf('/a/b')).toBe('b');
  });
});

describe('FaultInjectionFileSystem counting', () => {
  it('counts only the matching calls once armed, and every write call when not', () => {
    const faulty = new FaultInjectionFileSystem(new MemoryFileSystem());
    faulty.mkdir('/d');
    faulty.openWritable('/d/a').close();
    faulty.readFile('/d/a'); // a read: not counted when disarmed
    expect(faulty.calls).toBe(3); // mkdir, openWritable, close
    faulty.arm({ operations: ['readFile'], nth: 5 });
    expect(faulty.calls).toBe(0);
    faulty.readFile('/d/a');
    faulty.readFile('/d/a');
    faulty.openWritable('/d/b').close(); // not a matching operation
    expect(faulty.calls).toBe(2);
    expect(faulty.injected).toBe(0);
    faulty.reset();
    expect(faulty.calls).toBe(0);
  });
});
