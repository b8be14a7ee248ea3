#!/usr/bin/env node
// Runs the pnpm version pinned in package.json's `packageManager`, installing it first into the
// git-ignored `.tools/` folder with npm (all a fresh machine has). It then puts that pnpm on PATH so
// turbo and nested scripts find the same version. Why not corepack: on Node 20 here its signature check
// fails on first download; a plain npm install of the pinned version is reliable.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;
const version = pinned.replace(/^pnpm@/, '');
const tools = join(root, '.tools');
const bin = join(tools, 'node_modules', '.bin');
const pnpm = join(bin, process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm');

function installedVersion() {
  const manifest = join(tools, 'node_modules', 'pnpm', 'package.json');
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
}

if (installedVersion() !== version) {
  console.log(`[velocity] installing pnpm@${version} into .tools/ (one time)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      tools,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `pnpm@${version}`,
    ],
    { stdio: 'inherit', cwd: root },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const env = {
  ...process.env,
  PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
  TURBO_TELEMETRY_DISABLED: '1',
  COREPACK_ENABLE_STRICT: '0',
};
const result = spawnSync(pnpm, process.argv.slice(2), { stdio: 'inherit', cwd: process.cwd(), env });
process.exit(result.status ?? 1);
