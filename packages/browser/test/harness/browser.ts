// Node side of the browser tests and the benchmark: bundles the test pages and workers with esbuild,
// serves them on 127.0.0.1 (a secure context, so OPFS works) and drives Debian's Chromium through
// playwright-core with a profile on disk (an incognito context keeps OPFS in memory, ~20x slower).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { serveStatic } from '../../../../docs/test/static-server.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Where Chromium is expected (`CHROMIUM_PATH` overrides). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** True when the browser tests can run. */
export const haveChromium = existsSync(chromiumPath);
if (!haveChromium && process.env.CI) {
  throw new Error(`CI needs Chromium at ${chromiumPath} for the browser tests (.ci/run installs it)`);
}
if (!haveChromium) console.log(`[browser] skipping the browser tests: no Chromium at ${chromiumPath}`);

/** Workspace packages resolve to their TypeScript sources (no build needed), as in vitest.config.ts. */
const workspaceSources: Plugin = {
  name: 'workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@velocity\/[a-z-]+$/ }, (args) => ({
      path: here(`../../../${args.path.slice('@velocity/'.length)}/src/index.ts`),
    }));
    b.onResolve({ filter: /^@velocity\/db\/compaction-worker$/ }, () => ({
      path: here('../../../db/src/compaction-worker.ts'),
    }));
    b.onResolve({ filter: /^vitest$/ }, () => ({ path: here('./vitest-shim.ts') }));
  },
};

/** Bundles the named entry points (paths relative to packages/browser) into `outdir`. */
export async function bundle(entries: Record<string, string>, outdir: string): Promise<void> {
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, here(`../../${v}`)])),
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    sourcemap: 'inline',
    logLevel: 'warning',
    plugins: [workspaceSources],
    // browser-level's dependencies reach for Node's `process` and `global` in a few places
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
  });
}

/** A served folder of bundles and a Chromium with an on-disk profile. */
export interface BrowserSession {
  origin: string;
  context: BrowserContext;
  /** Opens `/index.html` in a new tab and waits for it to load; console errors go to `errors`. */
  open(errors?: string[]): Promise<Page>;
  close(): Promise<void>;
}

/** The headers that make a page cross-origin isolated, so it may use `SharedArrayBuffer`. */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/**
 * Bundles `entries`, serves them with an empty index.html, starts Chromium on a fresh profile.
 * With `isolated`, every file is served with {@link ISOLATION_HEADERS}.
 */
export async function startSession(
  entries: Record<string, string>,
  options: { isolated?: boolean } = {},
): Promise<BrowserSession> {
  const site = mkdtempSync(join(tmpdir(), 'velocity-browser-site-'));
  const profile = mkdtempSync(join(tmpdir(), 'velocity-browser-profile-'));
  await bundle(entries, site);
  writeFileSync(
    join(site, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>velocity</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>',
  );
  const { server, origin }: { server: Server; origin: string } = await serveStatic(
    site,
    options.isolated ? ISOLATION_HEADERS : {},
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  return {
    origin,
    context,
    async open(errors = []) {
      const page = await context.newPage();
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      await page.goto(`${origin}/index.html`, { waitUntil: 'load' });
      await page.waitForFunction(() => (globalThis as { ready?: boolean }).ready === true);
      return page;
    },
    async close() {
      await context.close();
      server.close();
      rmSync(site, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
