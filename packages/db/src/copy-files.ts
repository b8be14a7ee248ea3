/**
 * Copying and hard-linking database files, for checkpoints and backups.
 * @module
 */
import { type FileSystem, VelocityError, crc32cExtend } from '@velocity/core';
import { yieldToEventLoop } from './background-turns.js';

/** Bytes read and written per step of a copy. */
const CHUNK = 1024 * 1024;

/** `errno`s of a `link` that cannot work here (another device, no hard links), where a copy can. */
const LINK_UNAVAILABLE = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS', 'EACCES']);

/** What a copy wrote. */
export interface Copied {
  /** Bytes copied. */
  bytes: number;
  /** CRC-32C of the bytes copied. */
  crc32c: number;
}

/** Copies chunk by chunk, calling `between` after each chunk but the last. */
function* chunks(
  fs: FileSystem,
  from: string,
  to: string,
  length: number | undefined,
): Generator<void, Copied> {
  const source = fs.openReadable(from);
  try {
    const size = length ?? source.size;
    let crc = 0;
    const target = fs.openWritable(to);
    try {
      for (let offset = 0; offset < size; ) {
        const bytes = source.read(offset, Math.min(CHUNK, size - offset));
        if (bytes.length === 0) {
          throw new VelocityError('CORRUPTION', `${from} is ${offset} bytes, expected ${size}`, {
            path: from,
          });
        }
        target.append(bytes);
        crc = crc32cExtend(crc, bytes);
        offset += bytes.length;
        if (offset < size) yield;
      }
      target.sync();
    } finally {
      target.close();
    }
    return { bytes: size, crc32c: crc >>> 0 };
  } finally {
    source.close();
  }
}

/**
 * Copies `from` to a new file `to`, fsynced, in one synchronous call: the first `length` bytes (all of
 * it when undefined; the file may be growing). Throws `CORRUPTION` when `from` is shorter than `length`.
 */
export function copyFileNow(fs: FileSystem, from: string, to: string, length?: number): Copied {
  const steps = chunks(fs, from, to, length);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** {@link copyFileNow} of a whole file, yielding to the event loop between chunks. */
export async function copyFile(fs: FileSystem, from: string, to: string): Promise<Copied> {
  const steps = chunks(fs, from, to, undefined);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
  }
}

/** Reads `path` whole (yielding between chunks) and returns its size and CRC-32C. */
export async function crc32cOf(fs: FileSystem, path: string): Promise<Copied> {
  const file = fs.openReadable(path);
  try {
    let crc = 0;
    let offset = 0;
    for (;;) {
      const bytes = file.read(offset, CHUNK);
      if (bytes.length === 0) return { bytes: offset, crc32c: crc >>> 0 };
      crc = crc32cExtend(crc, bytes);
      offset += bytes.length;
      await yieldToEventLoop();
    }
  } finally {
    file.close();
  }
}

/**
 * Hard-links `from` as `to` where the file system can (`FileSystem.link`), and returns true; returns
 * false when it cannot here (no `link`, or a link refused with `EXDEV`, `EPERM` and the like), so the
 * caller copies instead. Other failures throw.
 */
export function tryLink(fs: FileSystem, from: string, to: string): boolean {
  if (fs.link === undefined) return false;
  try {
    fs.link(from, to);
    return true;
  } catch (error) {
    if (error instanceof VelocityError && error.errno !== undefined && LINK_UNAVAILABLE.has(error.errno)) {
      return false;
    }
    throw error;
  }
}
