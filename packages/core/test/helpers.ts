// Helpers shared by core's file-system tests (the in-memory and the Node file systems refuse the same
// things in the same words, so their tests check them the same way).
import { expect } from 'vitest';
import { VelocityError, type WritableFile } from '../src/index.js';

/** The VelocityError that `fn` throws; fails the test when it throws anything else, or nothing. */
export function caught(fn: () => unknown): VelocityError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VelocityError);
    return error as VelocityError;
  }
  throw new Error('expected a throw');
}

/**
 * Appends the bytes 1, 2 to `file` and closes it; then checks that the closed file refuses appends and
 * syncs with CLOSED, and that flush and a second close do nothing. The caller reads the file back and
 * expects exactly [1, 2].
 */
export function checkClosedWritable(file: WritableFile): void {
  file.append(new Uint8Array([1, 2]));
  file.close();
  expect(caught(() => file.append(new Uint8Array([3]))).code).toBe('CLOSED');
  expect(caught(() => file.sync()).code).toBe('CLOSED');
  file.flush();
  file.close();
}
