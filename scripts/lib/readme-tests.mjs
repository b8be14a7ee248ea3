// One mechanism for every package: its README's own code blocks are run by its test, so a README cannot
// drift from the code. A package's test/readme.test.ts is one line:
//
//   await readmeTests(new URL('../README.md', import.meta.url));
//
// Each ```ts or ```js block is written to its own module in a temporary folder and imported; vitest's
// aliases resolve `@velocity/*` to the sources, so no build is needed. A block runs inside its own test
// (`README.md:12 runs`) and fails it by throwing (examples assert with node:assert). A block whose
// fence reads ```ts suite defines test suites itself (the testkit's conformance suites): it is imported
// while the file's tests are being collected, so its suites become tests of this file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { codeBlocks } from './readme-code.mjs';

/** The fenced blocks of a README that its test runs: ```ts and ```js, and whether each is a `suite`. */
export function runnableBlocks(markdown) {
  const lines = markdown.split('\n');
  return codeBlocks(markdown, ['ts', 'js']).map((block) => {
    const fence = lines[block.line - 2]; // the line above the first code line
    return { ...block, js: /^\s*```js\b/.test(fence), suite: /^\s*```\w+\s+suite\b/.test(fence) };
  });
}

/** Registers a test per runnable block of the README at `readmeUrl` (and imports the `suite` blocks). */
export async function readmeTests(readmeUrl) {
  const path = fileURLToPath(readmeUrl);
  const blocks = runnableBlocks(readFileSync(path, 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'velocity-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const moduleFor = (block) => {
    const file = join(dir, `readme-line-${block.line}.${block.js ? 'mjs' : 'ts'}`);
    writeFileSync(file, block.code);
    return file;
  };
  describe(`${path.split('/').slice(-2).join('/')} examples`, () => {
    it('has at least one example', () => {
      expect(blocks.length).toBeGreaterThan(0);
    });
    for (const block of blocks.filter((b) => !b.suite)) {
      it(`README.md:${block.line} runs`, async () => {
        await import(/* @vite-ignore */ moduleFor(block));
      });
    }
  });
  for (const block of blocks.filter((b) => b.suite)) await import(/* @vite-ignore */ moduleFor(block));
}
