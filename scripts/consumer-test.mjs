#!/usr/bin/env node
// The consumer test: Velocity as a user installs it. Packs every public package (`pnpm pack`, which is
// what `pnpm publish` uploads), installs the tarballs with plain npm into temporary projects outside
// the workspace, and there:
//   - runs the @velocity/db README's quick start as plain JavaScript (.mjs), and type-checks it as a
//     TypeScript user would (strict, module nodenext, skipLibCheck false);
//   - uses @velocity/db from CommonJS (`require`), which Node >= 20.19 allows for ES modules;
//   - runs the installed `velocity` command: --version, put, get (and checks its shebang);
//   - installs @velocity/sstable alone and runs its README example.
// This is what proves `files`, `exports`, types and dependencies are right. Run it after `turbo run
// build`. npm uses its cache first (`--prefer-offline`); only third-party dependencies come from the
// registry, and only when the cache lacks them. The projects live in a folder of the system's temporary
// directory named after this checkout, emptied at the start of every run and removed after a run that
// passes. The type check is incremental: its build-info file is kept next to that folder, so a run whose
// packages and examples are unchanged does not type-check @types/node again (TypeScript compares file
// contents, so any change is checked in full); it runs while the other checks do.
// Usage: node scripts/consumer-test.mjs [--keep]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPackages, publicPackages } from './lib/pack.mjs';
import { codeBlocks, toJavaScript } from './lib/readme-code.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();
const checkout = createHash('sha256').update(root).digest('hex').slice(0, 12);
const work = join(tmpdir(), `velocity-consumer-${checkout}`);
const typeCache = join(tmpdir(), `velocity-consumer-${checkout}-tsbuildinfo`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const results = [];

/** Runs a command; returns its output, or throws with everything it printed. */
function run(command, args, cwd, options = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', ...options });
  if (result.status !== 0 || result.error) {
    const shown = [command, ...args].join(' ');
    throw new Error(`\`${shown}\` exited ${result.status}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  return result;
}

/** Records one named check: passed, or failed with its error. `body` may return a promise. */
async function check(name, body) {
  const t = performance.now();
  try {
    await body();
    results.push({ name, ok: true, ms: performance.now() - t });
  } catch (error) {
    results.push({ name, ok: false, ms: performance.now() - t, error });
  }
}

/** Starts a command without waiting; the promise resolves when it succeeds and rejects with its output. */
function start(command, args, cwd) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`\`${[command, ...args].join(' ')}\` exited ${code}\n${output}`));
    });
  });
}

function expectEqual(actual, expected, what) {
  if (actual !== expected)
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/**
 * Creates an npm project in `dir` depending on `wanted` (names) and installs it. Every @velocity
 * package resolves to its tarball (`overrides`), never to the registry.
 */
function installProject(dir, wanted, tarballs) {
  mkdirSync(dir, { recursive: true });
  const spec = (name) => `file:${tarballs.get(name)}`;
  const manifest = {
    name: 'velocity-consumer',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(wanted.map((name) => [name, spec(name)])),
    overrides: Object.fromEntries([...tarballs.keys()].map((name) => [name, spec(name)])),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // --legacy-peer-deps: testkit's peer (vitest) is not wanted here.
  run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--legacy-peer-deps', '--loglevel=error'],
    dir,
    { env: { ...process.env, npm_config_update_notifier: 'false' } },
  );
}

/** The first ```ts block of a package's README. */
function readmeExample(folder) {
  const [first] = codeBlocks(readFileSync(join(root, folder, 'README.md'), 'utf8'));
  if (!first) throw new Error(`${folder}/README.md has no \`\`\`ts block`);
  return first.code;
}

const requireExample = `const assert = require('node:assert/strict');
const { DB } = require('@velocity/db');
const { MemoryFileSystem } = require('@velocity/core');

async function main() {
  const db = await DB.open('/db', { fs: new MemoryFileSystem() });
  await db.put('greeting', 'hello from CommonJS');
  assert.equal(new TextDecoder().decode(await db.get('greeting')), 'hello from CommonJS');
  await db.close();
  console.log('ok');
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

const typedRequireExample = `import velocity = require('@velocity/db');
export async function size(location: string): Promise<number> {
  const db = await velocity.DB.open(location);
  const bytes: number = db.stats().bytes;
  await db.close();
  return bytes;
}
`;

const tsconfig = {
  compilerOptions: {
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    skipLibCheck: false,
    noEmit: true,
    types: ['node'],
    incremental: true,
    tsBuildInfoFile: join(typeCache, 'app.tsbuildinfo'),
  },
  files: ['readme.mts', 'typed-require.cts'],
};

async function main() {
  const packages = publicPackages(root);
  let t = performance.now();
  const tarballs = packPackages(root, packages, join(work, 'tarballs'));
  const since = () => `${Math.round(performance.now() - t)} ms`;
  console.log(`packed ${tarballs.size} packages (${since()})`);
  t = performance.now();
  const app = join(work, 'app');
  installProject(app, [...tarballs.keys()], tarballs);
  console.log(`installed them with npm into ${app} (${since()})`);
  // A TypeScript user has @types/node; link the workspace's copy rather than download one.
  mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'));

  const code = readmeExample('packages/db');
  writeFileSync(join(app, 'readme.mts'), code);
  writeFileSync(join(app, 'typed-require.cts'), typedRequireExample);
  writeFileSync(join(app, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  mkdirSync(typeCache, { recursive: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const typeCheck = start(process.execPath, [tsc, '-p', 'tsconfig.json'], app); // awaited last
  typeCheck.catch(() => {}); // its failure is reported by its check, not as an unhandled rejection

  await check('@velocity/db README quick start runs as .mjs', () => {
    writeFileSync(join(app, 'readme.mjs'), toJavaScript(code));
    run(process.execPath, ['readme.mjs'], app);
  });
  await check('require("@velocity/db") works from CommonJS', () => {
    writeFileSync(join(app, 'require.cjs'), requireExample);
    expectEqual(run(process.execPath, ['require.cjs'], app).stdout, 'ok\n', 'require.cjs output');
  });
  const cli = packages.find((p) => p.name === '@velocity/cli');
  const bin = join(app, 'node_modules', '.bin', 'velocity');
  await check('the velocity bin has a shebang and is executable', () => {
    const target = join(app, 'node_modules', '@velocity', 'cli', 'dist', 'main.js');
    expectEqual(readFileSync(target, 'utf8').split('\n')[0], '#!/usr/bin/env node', 'first line');
    if ((statSync(bin).mode & 0o111) === 0) throw new Error(`${bin} is not executable`);
  });
  await check('velocity --version, put, get (node_modules/.bin and npx)', () => {
    expectEqual(run(bin, ['--version'], app).stdout, `${cli.version}\n`, 'velocity --version');
    run(bin, ['put', 'data', 'user:1', 'Ada'], app);
    expectEqual(run(bin, ['get', 'data', 'user:1'], app).stdout, 'Ada\n', 'velocity get');
    const npx = run('npx', ['--offline', '--no-install', 'velocity', 'get', 'data', 'user:1'], app);
    expectEqual(npx.stdout, 'Ada\n', 'npx velocity get');
  });

  const alone = join(work, 'sstable-alone');
  await check('@velocity/sstable alone: installs without the database and runs its README example', () => {
    installProject(alone, ['@velocity/sstable'], tarballs);
    const installed = spawnSync(process.execPath, ['-e', "require.resolve('@velocity/db')"], { cwd: alone });
    if (installed.status === 0) throw new Error('@velocity/db was installed with @velocity/sstable alone');
    writeFileSync(join(alone, 'readme.mjs'), toJavaScript(readmeExample('packages/sstable')));
    run(process.execPath, ['readme.mjs'], alone);
  });
  await check('the examples type-check (strict, nodenext, skipLibCheck false)', () => typeCheck);
}

let setupError;
try {
  await main();
} catch (error) {
  setupError = error;
}
for (const r of results) {
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${Math.round(r.ms)} ms)`);
  if (!r.ok) console.log(String(r.error?.message ?? r.error).replace(/^/gm, '     '));
}
if (setupError) console.log(`FAIL setting up the consumer projects:\n${setupError.message}`);
const failed = results.filter((r) => !r.ok).length + (setupError ? 1 : 0);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `Consumer test: ${results.length - (failed - (setupError ? 1 : 0))} passed, ${failed} failed in ${seconds} s`,
);
if (failed === 0 && !process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
else console.log(`projects kept in ${work}`);
process.exit(failed === 0 ? 0 : 1);
