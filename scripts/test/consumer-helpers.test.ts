// The helpers of the consumer test (scripts/consumer-test.mjs): reading a README's code blocks, turning
// TypeScript into runnable JavaScript, and choosing what to pack. The consumer test itself runs in
// `npm test` after the build, as its own step.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publicPackages, tarballName } from '../lib/pack.mjs';
import { codeBlocks, toJavaScript } from '../lib/readme-code.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('codeBlocks', () => {
  const markdown = [
    '# Title', //            1
    '```sh', //              2
    'npm install', //        3
    '```', //                4
    '```ts', //              5
    'const a = 1;', //       6
    '```', //                7
    'text', //               8
    '```typescript', //      9
    'const b: number = 2;', // 10
    '```', //                11
  ].join('\n');

  it('returns the ts blocks with the line of their first code line', () => {
    expect(codeBlocks(markdown)).toEqual([
      { code: 'const a = 1;\n', line: 6 },
      { code: 'const b: number = 2;\n', line: 10 },
    ]);
  });

  it('takes other languages when asked', () => {
    expect(codeBlocks(markdown, ['sh'])).toEqual([{ code: 'npm install\n', line: 3 }]);
  });
});

describe('toJavaScript', () => {
  it('erases types and keeps imports and top-level await', () => {
    const js = toJavaScript(
      "import { x } from 'y';\nconst n: number = await Promise.resolve(1);\ntype T = string;\n",
    );
    expect(js).toContain("import { x } from 'y';");
    expect(js).toContain('const n = await Promise.resolve(1);');
    expect(js).not.toContain('type T');
  });
});

describe('what the consumer test packs', () => {
  it('names tarballs as pnpm pack does', () => {
    expect(tarballName('@velocity/db', '0.1.0')).toBe('velocity-db-0.1.0.tgz');
  });

  it('packs the libraries and the CLI, not the demo, the bench or the docs', () => {
    const names = publicPackages(root).map((p: { name: string }) => p.name);
    expect(names).toContain('@velocity/db');
    expect(names).toContain('@velocity/sstable');
    expect(names).toContain('@velocity/cli');
    expect(names).not.toContain('@velocity/demo');
    expect(names).not.toContain('@velocity/bench');
  });
});
