#!/usr/bin/env node
// Scaffolds a workspace package with the shape every Velocity package shares: ESM build with tsc to
// dist/, an exports map, strict tsconfig extending the root one, and lint/typecheck scripts.
// Usage: node scripts/new-package.mjs packages/<name> "<description>" [dep ...]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [dir, description, ...deps] = process.argv.slice(2);
if (!dir || !description) {
  console.error('usage: node scripts/new-package.mjs packages/<name> "<description>" [dep ...]');
  process.exit(2);
}
const name = `@velocity/${basename(dir)}`;
const isApp = dir.startsWith('apps/');
const dependencies = Object.fromEntries(
  deps
    .map((d) => (d.startsWith('@velocity/') ? [d, 'workspace:*'] : d.split(/(?<=.)@/)))
    .map(([n, v]) => [n, v ?? '*']),
);
const pkg = {
  name,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  ...(isApp ? { private: true } : {}),
  sideEffects: false,
  engines: { node: '>=20' },
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
  main: './dist/index.js',
  types: './dist/index.d.ts',
  files: ['dist', 'src', 'README.md'],
  scripts: {
    build: 'tsc -p tsconfig.build.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    lint: 'biome check src test',
  },
  dependencies,
};
const tsconfig = {
  extends: '../../tsconfig.base.json',
  compilerOptions: { types: ['node'], noEmit: true },
  include: ['src', 'test', 'bench'],
};
const tsconfigBuild = {
  extends: '../../tsconfig.base.json',
  compilerOptions: { rootDir: 'src', outDir: 'dist', types: ['node'] },
  include: ['src'],
  exclude: ['**/*.test.ts'],
};
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const write = (file, text) => {
  if (!existsSync(join(dir, file))) writeFileSync(join(dir, file), text);
};
write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
write('tsconfig.json', `${JSON.stringify(tsconfig, null, 2)}\n`);
write('tsconfig.build.json', `${JSON.stringify(tsconfigBuild, null, 2)}\n`);
write('src/index.ts', `/**\n * ${description}\n * @packageDocumentation\n */\nexport {};\n`);
write('README.md', `# ${name}\n\n${description}\n`);
console.log(`scaffolded ${name} in ${dir}`);
