// Packs the workspace's public packages into tarballs, as `pnpm publish` would upload them: pnpm turns
// each `workspace:*` dependency into the version it points at, and only the `files` of each package go in.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The workspace packages that are not `private`: `{ name, version, dir }`, from packages/ and apps/. */
export function publicPackages(root) {
  const found = [];
  for (const group of ['packages', 'apps']) {
    for (const folder of readdirSync(join(root, group)).sort()) {
      const manifest = join(root, group, folder, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      if (pkg.private !== true)
        found.push({ name: pkg.name, version: pkg.version, dir: join(root, group, folder) });
    }
  }
  return found;
}

/** The file name `pnpm pack` gives a package's tarball: `@velocity/db` 0.1.0 is `velocity-db-0.1.0.tgz`. */
export function tarballName(name, version) {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * Packs `packages` (from {@link publicPackages}) into `destination` with the pinned pnpm, in one call.
 * Returns a map from package name to tarball path. Throws with pnpm's output if packing fails.
 */
export function packPackages(root, packages, destination) {
  const filters = packages.flatMap((p) => ['--filter', p.name]);
  const result = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'pnpm.mjs'), '-r', ...filters, 'pack', '--pack-destination', destination],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`pnpm pack failed:\n${result.stdout}\n${result.stderr}`);
  const tarballs = new Map();
  for (const p of packages) {
    const path = join(destination, tarballName(p.name, p.version));
    if (!existsSync(path)) throw new Error(`pnpm pack made no ${path}`);
    tarballs.set(p.name, path);
  }
  return tarballs;
}

/**
 * `name` and every workspace package it depends on, directly or not (`dependencies` only: what npm
 * installs for a user), in a stable order. `packages` are from {@link publicPackages}.
 */
export function withWorkspaceDependencies(name, packages) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const seen = new Set();
  const visit = (current) => {
    if (seen.has(current) || !byName.has(current)) return;
    seen.add(current);
    const manifest = JSON.parse(readFileSync(join(byName.get(current).dir, 'package.json'), 'utf8'));
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency);
  };
  visit(name);
  return [...seen];
}
