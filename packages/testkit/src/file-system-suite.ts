import { type FileSystem, isVelocityError, joinPath } from '@velocity/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

/** What a file-system factory returns: the file system, a fresh empty directory in it, and cleanup. */
export interface FileSystemFixture {
  /** The file system under test. */
  fs: FileSystem;
  /** An existing, empty directory in `fs` that the test may fill. */
  root: string;
  /** Called after the test, for example to remove `root` from a real disk. */
  cleanup?: () => void;
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isVelocityError(error) ? error.code : 'non-velocity error';
  }
  return undefined;
}

/**
 * The conformance suite for a {@link FileSystem}: reads return what was written (whole files and any
 * positional range), appends after reopening, flush makes bytes visible to readers, directory
 * operations (list, exists, size, rename replacing a target, remove, mkdir of nested directories), the
 * optional `syncAsync` (flushes at the call, resolves once synced), `removeAsync`,
 * `syncDirectoryAsync` and `link` (a second name for a file that outlives removing the first),
 * error codes (`NOT_FOUND` for missing files and directories), and exclusive locks within one process.
 *
 * @example
 * ```ts
 * import { MemoryFileSystem } from '@velocity/core';
 * import { fileSystemSuite } from '@velocity/testkit';
 * fileSystemSuite('MemoryFileSystem', () => {
 *   const fs = new MemoryFileSystem();
 *   fs.mkdir('/root');
 *   return { fs, root: '/root' };
 * });
 * ```
 */
export function fileSystemSuite(name: string, factory: () => FileSystemFixture): void {
  describe(`file system conformance: ${name}`, () => {
    const fixtures: FileSystemFixture[] = [];
    const setup = () => {
      const f = factory();
      fixtures.push(f);
      return f;
    };
    afterEach(() => {
      for (const f of fixtures.splice(0)) f.cleanup?.();
    });

    it('links a file under a second name, when it has link', () => {
      const { fs, root } = setup();
      if (fs.link === undefined) return;
      const a = joinPath(root, 'a');
      const b = joinPath(root, 'b');
      const file = fs.openWritable(a);
      file.append(new Uint8Array([1, 2, 3]));
      file.sync();
      file.close();
      fs.link(a, b);
      fs.syncDirectory(root);
      expect(fs.readFile(b)).toEqual(new Uint8Array([1, 2, 3]));
      fs.remove(a);
      expect(fs.list(root)).toEqual(['b']);
      expect(fs.readFile(b)).toEqual(new Uint8Array([1, 2, 3]));
      expect(code(() => fs.link!(a, joinPath(root, 'c')))).toBe('NOT_FOUND');
      fs.openWritable(a).close();
      expect(code(() => fs.link!(a, b))).toBe('IO_ERROR');
      expect(fs.readFile(b)).toEqual(new Uint8Array([1, 2, 3]));
    });

    it('reads back what was appended, whole and at any offset', () => {
      const { fs, root } = setup();
      fc.assert(
        fc.property(
          fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 8 }),
          fc.nat(),
          fc.nat(5000),
          (parts, at, len) => {
            const path = joinPath(root, 'data');
            const file = fs.openWritable(path);
            for (const p of parts) file.append(p);
            const all = Uint8Array.from(parts.flatMap((p) => [...p]));
            expect(file.size).toBe(all.length);
            file.sync();
            file.close();
            expect(fs.readFile(path)).toEqual(all);
            expect(fs.size(path)).toBe(all.length);
            const reader = fs.openReadable(path);
            expect(reader.size).toBe(all.length);
            const offset = all.length === 0 ? 0 : at % all.length;
            expect(reader.read(offset, len)).toEqual(all.slice(offset, offset + len));
            if (reader.readInto !== undefined) {
              // Optional: the same bytes, into the caller's array, and the count of them.
              const target = new Uint8Array(len).fill(0xee);
              const n = reader.readInto(offset, target);
              const expected = all.slice(offset, offset + len);
              expect(n).toBe(expected.length);
              expect(target.subarray(0, n)).toEqual(expected);
              expect(target.subarray(n).every((b) => b === 0xee)).toBe(true);
            }
            reader.close();
          },
        ),
        { numRuns: 25 },
      );
    });

    it('makes flushed bytes visible, appends after reopening, truncates without append', () => {
      const { fs, root } = setup();
      const path = joinPath(root, 'log');
      const w = fs.openWritable(path);
      w.append(Uint8Array.of(1, 2));
      w.flush();
      expect(fs.readFile(path)).toEqual(Uint8Array.of(1, 2));
      w.close();
      const again = fs.openWritable(path, { append: true });
      again.append(Uint8Array.of(3));
      again.close();
      expect(fs.readFile(path)).toEqual(Uint8Array.of(1, 2, 3));
      fs.openWritable(path).close();
      expect(fs.size(path)).toBe(0);
    });

    it('syncAsync, where a file has it, flushes first and resolves with every byte readable', async () => {
      const { fs, root } = setup();
      const path = joinPath(root, 'async');
      const w = fs.openWritable(path);
      if (w.syncAsync === undefined) {
        w.close();
        return; // optional: nothing to check
      }
      w.append(Uint8Array.of(1, 2, 3));
      const synced = w.syncAsync();
      // The flush happens at the call, before the promise settles.
      expect(fs.readFile(path)).toEqual(Uint8Array.of(1, 2, 3));
      await synced;
      w.append(Uint8Array.of(4));
      await w.syncAsync();
      w.close();
      expect(fs.readFile(path)).toEqual(Uint8Array.of(1, 2, 3, 4));
    });

    it('removeAsync and syncDirectoryAsync, where present, do what their synchronous twins do', async () => {
      const { fs, root } = setup();
      const path = joinPath(root, 'gone');
      fs.openWritable(path).close();
      if (fs.removeAsync !== undefined) {
        await fs.removeAsync(path);
        expect(fs.exists(path)).toBe(false);
        await expect(fs.removeAsync(path)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
      if (fs.syncDirectoryAsync !== undefined) await fs.syncDirectoryAsync(root);
    });

    it('lists, renames over a target, removes, and creates nested directories', () => {
      const { fs, root } = setup();
      const dir = joinPath(root, 'a', 'b');
      fs.mkdir(dir);
      fs.mkdir(dir); // succeeds when it exists
      for (const n of ['x', 'y', 'z']) {
        const f = fs.openWritable(joinPath(dir, n));
        f.append(new TextEncoder().encode(n));
        f.close();
      }
      expect(fs.list(dir)).toEqual(['x', 'y', 'z']);
      fs.rename(joinPath(dir, 'x'), joinPath(dir, 'y'));
      expect(fs.list(dir)).toEqual(['y', 'z']);
      expect(new TextDecoder().decode(fs.readFile(joinPath(dir, 'y')))).toBe('x');
      fs.remove(joinPath(dir, 'z'));
      expect(fs.exists(joinPath(dir, 'z'))).toBe(false);
      expect(fs.exists(dir)).toBe(true);
      fs.syncDirectory(dir);
    });

    it('reports missing files and directories as NOT_FOUND', () => {
      const { fs, root } = setup();
      const missing = joinPath(root, 'missing');
      expect(code(() => fs.readFile(missing))).toBe('NOT_FOUND');
      expect(code(() => fs.openReadable(missing))).toBe('NOT_FOUND');
      expect(code(() => fs.size(missing))).toBe('NOT_FOUND');
      expect(code(() => fs.remove(missing))).toBe('NOT_FOUND');
      expect(code(() => fs.list(missing))).toBe('NOT_FOUND');
      expect(code(() => fs.openWritable(joinPath(missing, 'f')))).toBe('NOT_FOUND');
    });

    it('locks exclusively and relocks after release', () => {
      const { fs, root } = setup();
      const lockPath = joinPath(root, 'LOCK');
      const lock = fs.lock(lockPath);
      expect(code(() => fs.lock(lockPath))).toBe('LOCKED');
      lock.release();
      lock.release(); // twice is fine
      fs.lock(lockPath).release();
    });
  });
}
