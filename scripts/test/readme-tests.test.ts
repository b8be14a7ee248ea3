// The shared README runner (scripts/lib/readme-tests.mjs) picks the ```ts and ```js blocks, tells
// JavaScript from TypeScript and marks ```ts suite blocks, which define test suites themselves.
import { describe, expect, it } from 'vitest';
import { runnableBlocks } from '../lib/readme-tests.mjs';

describe('runnableBlocks', () => {
  it('finds ts, js and suite blocks and leaves shell and text alone', () => {
    const markdown = [
      '```sh',
      'npm test',
      '```',
      '```ts',
      'const a: number = 1;',
      '```',
      '```js',
      'const b = 2;',
      '```',
      '```ts suite',
      "describe('x', () => {});",
      '```',
      '```text',
      'output',
      '```',
    ].join('\n');
    expect(runnableBlocks(markdown)).toEqual([
      { code: 'const a: number = 1;\n', line: 5, js: false, suite: false },
      { code: 'const b = 2;\n', line: 8, js: true, suite: false },
      { code: "describe('x', () => {});\n", line: 11, js: false, suite: true },
    ]);
  });
});
