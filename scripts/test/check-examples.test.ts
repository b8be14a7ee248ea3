// The examples check (scripts/check-examples.mjs) must fail on a broken example and point at the line of
// the doc comment it came from; a good example must pass. Examples here import only Node's built-ins, so
// this test needs no build.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkExamples,
  collectExamples,
  compilerOptions,
  examplesInComment,
  formatError,
} from '../check-examples.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'velocity-examples-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A doc comment with the given lines, indented like a class member's. */
const docComment = (...lines: string[]) =>
  ['  /**', ...lines.map((l) => `   * ${l}`.trimEnd()), '   */'].join('\n');

const check = (comment: string, name: string) => {
  const { examples, problems } = examplesInComment(comment, 'src/example.ts', 10);
  expect(problems).toEqual([]);
  return checkExamples(examples, { dir: join(scratch, name), packages: [] }).map(formatError);
};

describe('check-examples', () => {
  it('reports a broken example at the file and line of its doc comment, with the TypeScript message', () => {
    const comment = docComment(
      'Doubles a number.', // line 11 (the comment opens on line 10)
      '',
      '@example',
      '```ts',
      'const n: number = 21;', // line 15
      'const s: string = n * 2;', // line 16
      '```',
    );
    expect(check(comment, 'broken')).toEqual([
      "src/example.ts:16:12: TS2322 Type 'number' is not assignable to type 'string'.",
    ]);
  });

  it('passes a good example that imports what it uses, with top-level await', () => {
    const comment = docComment(
      '@example',
      '```ts',
      "import { join } from 'node:path';",
      "const path: string = join('a', 'b');",
      'await Promise.resolve(path);',
      '```',
    );
    expect(check(comment, 'good')).toEqual([]);
  });

  it('requires examples to be self-contained: names are not shared between examples', () => {
    const comment = docComment(
      '@example',
      '```ts',
      'const shared = 1;',
      '```',
      '@example',
      '```ts',
      'console.log(shared);', // line 17
      '```',
    );
    expect(check(comment, 'isolated')).toEqual(["src/example.ts:17:18: TS2304 Cannot find name 'shared'."]);
  });

  it('flags an @example without a ```ts fence, and ignores fences outside @example', () => {
    const comment = docComment(
      '```ts',
      'not an example',
      '```',
      '@example',
      'db.get(key)',
      '@returns nothing',
    );
    expect(examplesInComment(comment, 'src/example.ts', 10)).toEqual({
      examples: [],
      problems: [{ file: 'src/example.ts', line: 14, message: 'no ```ts fence in this @example' }],
    });
  });

  it('collects the examples of exported symbols and their public members only', () => {
    const dir = join(scratch, 'package');
    mkdirSync(dir);
    const source = [
      docComment('@example', '```ts', 'const exported = 1;', '```'), // lines 1-6
      'export class Thing {',
      docComment('@example', '```ts', 'const member = 1;', '```'), // lines 8-13
      '  method(): void {}',
      docComment('@example', '```ts', 'const privateMember = 1;', '```'),
      '  private secret(): void {}',
      '}',
      docComment('@example', '```ts', 'const notExported = 1;', '```'),
      'function hidden(): void {}',
      'hidden();',
    ].join('\n');
    writeFileSync(join(dir, 'index.ts'), source);
    const { examples } = collectExamples([join(dir, 'index.ts')], { repo: dir, options: compilerOptions() });
    expect(
      examples.map((e: { file: string; line: number; code: string[] }) => [e.file, e.line, e.code]),
    ).toEqual([
      ['index.ts', 4, ['const exported = 1;']],
      ['index.ts', 11, ['const member = 1;']],
    ]);
  });
});
