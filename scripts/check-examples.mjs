#!/usr/bin/env node
// Type-checks the examples in the doc comments of every package's public API, so the examples shown on
// the docs site cannot rot. For each symbol a package exports (its `exports` map, read back to `src/`),
// every ```ts fence inside an `@example` tag of its doc comment (or of a public member's) is written to
// its own file under `.examples/` (git-ignored) and the lot is type-checked with the repo's TypeScript
// and `tsconfig.base.json` (strict, ESM, NodeNext). Errors are reported at the line of the ORIGINAL doc
// comment, `packages/db/src/iterator.ts:39:37: TS2304 Cannot find name 'db'.`, and the script exits with 1.
//
// Each example must be self-contained, as a reader would paste it: it imports what it uses from the
// public entry points (`@velocity/db`, `@velocity/core/node`). Those names resolve through links in
// `.examples/node_modules/@velocity/` to the packages themselves, so TypeScript reads their `exports`
// maps and the built `dist/*.d.ts`, exactly as for a user: run it after `turbo run build`.
//
// Why a root script and not a workspace package: it reads every package and needs only TypeScript, which
// the root already has; a package would have to depend on all the others just to have them linked.
// Usage: node scripts/check-examples.mjs
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HEADER_LINES = 1; // the `// from file:line` line at the top of each generated example file

/** Workspace packages with an `exports` map: name, folder, and the `src/` file behind each entry point. */
export function workspacePackages(repo = root) {
  const found = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(repo, group)).sort()) {
      const dir = join(repo, group, name);
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      const entries = Object.values(pkg.exports ?? {})
        .map((target) => (typeof target === 'string' ? target : target.types))
        .filter((types) => typeof types === 'string')
        .map((types) => join(dir, types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')))
        .filter((file) => existsSync(file));
      if (entries.length > 0) found.push({ name: pkg.name, dir, entries });
    }
  }
  return found;
}

/** The compiler options of `tsconfig.base.json`, set up to check examples rather than build. */
export function compilerOptions(repo = root) {
  const configPath = join(repo, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, repo, undefined, configPath);
  return {
    ...options,
    noEmit: true,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    types: ['node'],
    typeRoots: [join(repo, 'node_modules', '@types')],
    moduleDetection: ts.ModuleDetectionKind.Force,
  };
}

/**
 * The ```ts fences inside `@example` tags of one doc comment. `firstLine` is the 1-based source line of
 * the comment's first line. Each example records the source line of its first code line and, per code
 * line, how many characters of comment prefix (`   * `) were stripped, so that columns map back too.
 * `problems` lists `@example` tags with no ```ts fence: those would never be checked.
 */
export function examplesInComment(comment, file, firstLine) {
  const examples = [];
  const problems = [];
  let tag; // the open `@example` tag: its line and whether a fence was found in it
  let fence; // the example being collected, while inside a ```ts fence
  const closeTag = () => {
    if (tag && !tag.fenced)
      problems.push({ file, line: tag.line, message: 'no ```ts fence in this @example' });
    tag = undefined;
  };
  comment.split('\n').forEach((raw, i) => {
    const prefix = /^\s*(\/\*\*|\*\/|\*)? ?/.exec(raw)[0].length;
    const line = raw.slice(prefix).replace(/\s*\*\/\s*$/, '');
    if (fence) {
      if (/^\s*```\s*$/.test(line)) {
        examples.push(fence);
        fence = undefined;
      } else {
        fence.code.push(line);
        fence.prefixes.push(prefix);
      }
    } else if (/^@\w/.test(line)) {
      closeTag();
      if (/^@example\b/.test(line)) tag = { line: firstLine + i, fenced: false };
    } else if (tag && /^```(ts|typescript)\s*$/.test(line)) {
      tag.fenced = true;
      fence = { file, line: firstLine + i + 1, code: [], prefixes: [] };
    }
  });
  if (fence) problems.push({ file, line: fence.line - 1, message: 'unclosed ```ts fence' });
  closeTag();
  return { examples, problems };
}

/** Public members of a class or interface (not `private`, not `protected`, not `#private`). */
function publicMembers(declaration) {
  if (!ts.isClassLike(declaration) && !ts.isInterfaceDeclaration(declaration)) return [];
  return declaration.members.filter((member) => {
    if (member.name && ts.isPrivateIdentifier(member.name)) return false;
    const flags = ts.getCombinedModifierFlags(member);
    return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
  });
}

/**
 * Every example in the doc comments of the symbols exported by `entries` (source files), and of their
 * public members. Declarations that come from `.d.ts` files (re-exports of other packages) are skipped:
 * they are checked in the package that declares them.
 */
export function collectExamples(entries, { repo = root, options = compilerOptions(repo) } = {}) {
  const program = ts.createProgram(entries, options);
  const checker = program.getTypeChecker();
  const seen = new Set();
  const examples = [];
  const problems = [];
  const visit = (declaration) => {
    const source = declaration.getSourceFile();
    if (source.isDeclarationFile) return;
    for (const doc of ts.getJSDocCommentsAndTags(declaration).filter(ts.isJSDoc)) {
      const key = `${source.fileName}:${doc.pos}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const start = doc.getStart(source);
      const comment = source.text.slice(start, doc.end);
      const file = relative(repo, source.fileName).split('\\').join('/');
      const firstLine = source.getLineAndCharacterOfPosition(start).line + 1;
      const found = examplesInComment(comment, file, firstLine);
      examples.push(...found.examples);
      problems.push(...found.problems);
    }
  };
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${entry}: not a module`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of symbol.declarations ?? []) {
        visit(declaration);
        publicMembers(declaration).forEach(visit);
      }
    }
  }
  return { examples, problems };
}

/** A file name for an example: its source path and line, `packages-db-src-db.ts-L56.mts`. */
function exampleFileName(example) {
  return `${example.file.replace(/[^\w.-]+/g, '-')}-L${example.line}.mts`;
}

/** Links `DIR/node_modules/@velocity/x` to each workspace package, so examples import them by name. */
function linkPackages(dir, packages) {
  for (const pkg of packages) {
    const link = join(dir, 'node_modules', ...pkg.name.split('/'));
    mkdirSync(dirname(link), { recursive: true });
    if (!existsSync(link)) symlinkSync(pkg.dir, link, 'junction');
  }
}

/**
 * Writes each example to its own file in `dir` (emptied first) and type-checks them together. Returns the
 * errors, each at the file and line (and column) of the doc comment the example came from.
 */
export function checkExamples(
  examples,
  { dir, repo = root, packages = workspacePackages(repo), options = compilerOptions(repo) },
) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  linkPackages(dir, packages);
  const byPath = new Map();
  for (const example of examples) {
    const path = join(dir, exampleFileName(example));
    const header = `// from ${example.file}:${example.line} (generated by scripts/check-examples.mjs)`;
    writeFileSync(path, `${header}\n${example.code.join('\n')}\n`);
    byPath.set(resolve(path), example);
  }
  const program = ts.createProgram([...byPath.keys()], options);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    if (!diagnostic.file) return { file: '(compiler options)', line: 0, column: 0, message };
    const at = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const example = byPath.get(resolve(diagnostic.file.fileName));
    if (!example) {
      const file = relative(repo, diagnostic.file.fileName);
      return { file, line: at.line + 1, column: at.character + 1, message };
    }
    const codeLine = Math.max(0, at.line - HEADER_LINES);
    return {
      file: example.file,
      line: example.line + codeLine,
      column: (example.prefixes[codeLine] ?? 0) + at.character + 1,
      message,
    };
  });
}

/** `file:line:column: message`, the form editors and CI logs link to. */
export function formatError(error) {
  return `${error.file}:${error.line}:${error.column}: ${error.message}`;
}

function main() {
  const dir = join(root, '.examples');
  const packages = workspacePackages();
  const missing = packages.filter((pkg) => !existsSync(join(pkg.dir, 'dist')));
  if (missing.length > 0) {
    console.error(`No dist/ in ${missing.map((p) => p.name).join(', ')}: run \`turbo run build\` first.`);
    return 1;
  }
  const { examples, problems } = collectExamples(packages.flatMap((pkg) => pkg.entries));
  const errors = [
    ...problems.map((p) => ({ ...p, column: 1 })),
    ...checkExamples(examples, { dir, packages }),
  ];
  for (const error of errors) console.error(formatError(error));
  const files = new Set(examples.map((e) => e.file)).size;
  console.log(
    `Examples: ${examples.length} type-checked from ${files} files, ${errors.length} error(s)` +
      (errors.length > 0 ? ` (generated files in ${relative(root, dir)})` : ''),
  );
  return errors.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exit(main());
}
