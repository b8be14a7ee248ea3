// A dedicated worker that runs @velocity/testkit's fileSystemSuite against OpfsFileSystem (the test
// bundle maps `vitest` to ../harness/vitest-shim.ts) and posts the results to the page.
import { fileSystemSuite } from '@velocity/testkit';
import { OpfsFileSystem } from '../../src/opfs/opfs-file-system.js';
import { runRegistered } from '../harness/vitest-shim.js';

async function main(): Promise<unknown> {
  const fs = await OpfsFileSystem.open({ directory: 'conformance' });
  let n = 0;
  fileSystemSuite('OpfsFileSystem', () => {
    const root = `/run-${Date.now()}-${n++}`; // each test in a fresh directory
    fs.mkdir(root);
    return { fs, root };
  });
  const results = await runRegistered();
  fs.close();
  return results;
}

main().then(
  (results) => postMessage({ results }),
  (error) => postMessage({ error: String(error?.stack ?? error) }),
);
