// The code blocks of a README, as the tests that run them need them: the fenced ```ts blocks with the
// line each starts on, and a block turned into plain JavaScript (types erased) for running with node.
import ts from 'typescript';

/**
 * The fenced code blocks of `markdown` whose info string is one of `languages`, in order: `code` is the
 * block's text, `line` the 1-based line of its first code line.
 */
export function codeBlocks(markdown, languages = ['ts', 'typescript']) {
  const blocks = [];
  let open; // the block being read: { line, lines }
  markdown.split('\n').forEach((text, i) => {
    if (open) {
      if (/^\s*```\s*$/.test(text)) {
        blocks.push({ code: `${open.lines.join('\n')}\n`, line: open.line });
        open = undefined;
      } else open.lines.push(text);
      return;
    }
    const fence = /^\s*```\s*([\w-]+)?/.exec(text);
    if (fence && languages.includes(fence[1] ?? '')) open = { line: i + 2, lines: [] };
  });
  return blocks;
}

/** TypeScript source as an ES module in plain JavaScript: types erased, imports and top-level await kept. */
export function toJavaScript(code) {
  return ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true, // as in tsconfig.base.json: imports stay unless marked `type`
    },
  }).outputText;
}
