import { describe, expect, it } from 'vitest';
import { FaultInjectionFileSystem, isVelocityError, MemoryFileSystem } from '../src/index.js';

const bytes = (...xs: number[]) => new Uint8Array(xs);

describe('MemoryFileSystem crash simulation', () => {
  it('keeps synced bytes and directory entries, drops the rest', () => {
    let fs = new MemoryFileSystem();
    fs.mkdir('/db');
    const a = fs.openWritable('/db/a');
    a.append(bytes(1, 2));
    a.sync();
    a.append(bytes(3));
    a.flush();
    fs.syncDirectory('/db');
    const b = fs.openWritable('/db/b'); // created after the directory sync
    b.append(bytes(9));
    b.sync();
    expect([...fs.readFile('/db/a')]).toEqual([1, 2, 3]);
    const old = fs;
    fs = fs.crash();
    expect(() => old.openWritable('/db/zombie')).toThrowError(/killed process/);
    expect([...fs.readFile('/db/a')]).toEqual([1, 2]);
    expect(fs.exists('/db/b')).toBe(false);
    expect(() => a.append(bytes(4))).toThrowError(/killed process/);
  });

  it('undoes renames and removals not covered by a directory sync', () => {
    let fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const f = fs.openWritable('/d/x');
    f.sync();
    fs.syncDirectory('/d');
    fs.rename('/d/x', '/d/y');
    fs = fs.crash();
    expect(fs.list('/d')).toEqual(['x']);
    fs.remove('/d/x');
    fs.syncDirectory('/d');
    fs = fs.crash();
    expect(fs.list('/d')).toEqual([]);
  });

  it('kill() keeps flushed bytes, loses unflushed ones, and releases locks', () => {
    let fs = new MemoryFileSystem();
    fs.mkdir('/d');
    fs.lock('/d/LOCK');
    const f = fs.openWritable('/d/x');
    f.append(bytes(1));
    f.flush();
    f.append(bytes(2));
    fs = fs.kill();
    expect([...fs.readFile('/d/x')]).toEqual([1]);
    fs.lock('/d/LOCK').release();
  });

  it('locks exclusively', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const lock = fs.lock('/d/LOCK');
    try {
      fs.lock('/d/LOCK');
      expect.unreachable();
    } catch (e) {
      expect(isVelocityError(e, 'LOCKED')).toBe(true);
    }
    lock.release();
    fs.lock('/d/LOCK');
  });

  it('can keep a random part of the unsynced tail', () => {
    let fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const f = fs.openWritable('/d/x');
    f.append(new Uint8Array(100));
    f.flush();
    fs.syncDirectory('/d');
    fs = fs.crash({ unsyncedTail: 'random', random: () => 0.5 });
    expect(fs.size('/d/x')).toBe(50);
  });
});

describe('FaultInjectionFileSystem', () => {
  it('counts write calls, then fails the n-th matching call once with the given errno', () => {
    const faulty = new FaultInjectionFileSystem(new MemoryFileSystem());
    const work = () => {
      faulty.mkdir('/d');
      const f = faulty.openWritable('/d/x');
      f.append(bytes(1));
      f.sync();
      f.close();
      faulty.syncDirectory('/d');
    };
    work();
    expect(faulty.calls).toBe(6);
    for (let n = 1; n <= 6; n++) {
      faulty.arm({ nth: n, errno: 'ENOSPC' });
      let error: unknown;
      try {
        work();
      } catch (e) {
        error = e;
      }
      expect(isVelocityError(error, 'IO_ERROR')).toBe(true);
      expect((error as { errno?: string }).errno).toBe('ENOSPC');
    }
    faulty.arm({ nth: 99 });
    work();
    expect(faulty.injected).toBe(6);
  });

  it('fails every matching call forever after failAll', () => {
    const faulty = new FaultInjectionFileSystem(new MemoryFileSystem());
    faulty.mkdir('/d');
    const f = faulty.openWritable('/d/x');
    faulty.failAll('EIO', ['sync']);
    f.append(bytes(1));
    expect(() => f.sync()).toThrowError(/injected EIO/);
    expect(() => f.sync()).toThrowError(/injected EIO/);
    faulty.reset();
    f.sync();
  });
});
