#!/usr/bin/env node
// Releases the public packages: `changeset version` (versions and changelogs from .changeset/*.md), the
// full check on the result, then `changeset publish` (pnpm publish of every package whose version is not
// on the registry yet, with git tags). With --dry-run it changes nothing: it prints the versions the
// pending changesets would give, and runs `pnpm publish --dry-run` for every public package, which packs
// each one as it would be uploaded and stops before the upload.
// Usage: node scripts/release.mjs --dry-run | node scripts/release.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicPackages } from './lib/pack.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pnpm = [join(root, 'scripts', 'pnpm.mjs')];

/** Runs a command in the repository; exits with its code if it fails. */
function step(command, args, options = {}) {
  console.log(`[release] ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`[release] failed: ${command} ${args.join(' ')}`);
    process.exit(result.status ?? 1);
  }
}

/** The releases the pending changesets plan, public packages only: `{ name, oldVersion, newVersion }`. */
export function plannedReleases() {
  const scratch = mkdtempSync(join(tmpdir(), 'velocity-release-'));
  const output = join(scratch, 'status.json');
  try {
    const status = spawnSync('npx', ['--no-install', 'changeset', 'status', `--output=${output}`], {
      cwd: root,
      encoding: 'utf8',
    });
    if (status.status !== 0) throw new Error(`changeset status failed:\n${status.stdout}${status.stderr}`);
    const published = new Set(publicPackages(root).map((p) => p.name));
    return JSON.parse(readFileSync(output, 'utf8')).releases.filter(
      (r) => published.has(r.name) && r.oldVersion !== r.newVersion,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function dryRun() {
  const releases = plannedReleases();
  if (releases.length === 0) console.log('[release] no pending changesets: nothing would be released');
  for (const r of releases)
    console.log(`[release] would release ${r.name} ${r.oldVersion} -> ${r.newVersion}`);
  const filters = publicPackages(root).flatMap((p) => ['--filter', p.name]);
  step(process.execPath, [...pnpm, 'run', 'build']);
  step(process.execPath, [...pnpm, '-r', ...filters, 'publish', '--dry-run', '--no-git-checks']);
  console.log(`[release] dry run done: ${releases.length} package(s) would be released, nothing changed`);
}

function release() {
  const dirty = spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  if (dirty !== '') {
    console.error('[release] the working tree has uncommitted changes; commit or stash them first');
    process.exit(1);
  }
  step('npx', ['--no-install', 'changeset', 'version']);
  step(process.execPath, [...pnpm, 'install', '--lockfile-only']);
  step(process.execPath, [...pnpm, 'run', 'check']);
  step('npx', ['--no-install', 'changeset', 'publish']);
  console.log('[release] published; commit the version bumps and push the tags: git push --follow-tags');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--dry-run')) dryRun();
  else release();
}
