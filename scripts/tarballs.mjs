#!/usr/bin/env node
// Packs every public package into artifacts/tarballs/ (or the folder given), as it would be published,
// and prints the `npm install` line that installs @velocity/db from them in another project. This is how
// to use Velocity from a checkout until the packages are on the registry. Run it after `turbo run build`
// (the root script `tarballs` does both).
// Usage: node scripts/tarballs.mjs [folder]
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPackages, publicPackages, withWorkspaceDependencies } from './lib/pack.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const destination = resolve(process.argv[2] ?? join(root, 'artifacts', 'tarballs'));
mkdirSync(destination, { recursive: true });
const packages = publicPackages(root);
const tarballs = packPackages(root, packages, destination);
for (const path of tarballs.values()) console.log(relative(process.cwd(), path));
const forDb = withWorkspaceDependencies('@velocity/db', packages).map((name) => tarballs.get(name));
console.log(`\nIn your project, to install @velocity/db (and the packages it depends on):\n`);
console.log(`  npm install ${forDb.join(' ')}`);
