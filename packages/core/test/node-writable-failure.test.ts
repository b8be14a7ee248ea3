// A NodeWritableFile whose write fails drops what it buffered and refuses further work (issue #15,
// defect 4: a write rejected with IO_ERROR reappeared after close). /dev/full fails every write with
// ENOSPC, so the failure is a real one from the kernel.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FaultInjectionFileSystem, MemoryFileSystem, isVelocityError } from '../src/index.js';
import { NodeFileSystem } from '../src/node/index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isVelocityError(error) ? `${error.code}:${error.errno}` : String(error);
  }
  return undefined;
}

describe.runIf(existsSync('/dev/full'))('defect 4: NodeWritableFile after a failed write', () => {
  it('drops the buffered bytes, fails later calls, and close() writes nothing', () => {
    const file = new NodeFileSystem().openWritable('/dev/full', { append: true });
    file.append(new Uint8Array([1, 2, 3]));
    expect(codeOf(() => file.flush())).toBe('IO_ERROR:ENOSPC');
    expect(codeOf(() => file.append(new Uint8Array([4])))).toBe('IO_ERROR:ENOSPC');
    expect(codeOf(() => file.sync())).toBe('IO_ERROR:ENOSPC');
    // Before the fix close() wrote the kept buffer again and threw ENOSPC.
    expect(codeOf(() => file.close())).toBeUndefined();
  });
});

describe('defect 4: FaultInjectionFileSystem drops the appends of a failed flush', () => {
  it('a failed flush hands nothing to the inner file, not even at close', () => {
    const memory = new MemoryFileSystem();
    const faulty = new FaultInjectionFileSystem(memory);
    const file = faulty.openWritable('/f');
    file.append(new Uint8Array([1, 2]));
    file.flush();
    file.append(new Uint8Array([3, 4]));
    faulty.arm({ operations: ['flush'], mode: 'once' });
    expect(codeOf(() => file.flush())).toBe('IO_ERROR:EIO');
    file.close();
    expect([...memory.readFile('/f')]).toEqual([1, 2]);
  });
});
