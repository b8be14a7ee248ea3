import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultInjectionFileSystem, MemoryFileSystem } from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import { fileSystemSuite } from '../src/index.js';

fileSystemSuite('MemoryFileSystem', () => {
  const fs = new MemoryFileSystem();
  fs.mkdir('/root');
  return { fs, root: '/root' };
});

fileSystemSuite('NodeFileSystem', () => {
  const root = mkdtempSync(join(tmpdir(), 'velocity-fs-suite-'));
  return { fs: new NodeFileSystem(), root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
});

fileSystemSuite('FaultInjectionFileSystem (no fault armed)', () => {
  const fs = new FaultInjectionFileSystem(new MemoryFileSystem());
  fs.mkdir('/root');
  return { fs, root: '/root' };
});
