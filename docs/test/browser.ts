// Headless Chromium for the docs' browser tests: Debian's package driven by playwright-core, with the
// flags that keep it quiet and offline, and a page opener that collects console errors.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { serveStatic } from './static-server.js';

/** The built site (`vitepress build` output). */
export const dist = fileURLToPath(new URL('../.vitepress/dist', import.meta.url));

/** Where Chromium is expected (`CHROMIUM_PATH` overrides). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tests can run here. In CI a missing Chromium is an error, not a skip. */
export function haveChromium(): boolean {
  const found = existsSync(chromiumPath);
  if (!found && process.env.CI) {
    throw new Error(`CI needs Chromium at ${chromiumPath} for the docs browser test (.ci/run installs it)`);
  }
  return found;
}

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens `origin + path` in a new page; console errors and page errors are pushed onto `errors`. */
export async function openPage(
  browser: Browser,
  origin: string,
  path: string,
  errors: string[],
): Promise<{ page: Page; status: number }> {
  const page = await browser.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${path}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`${path}: ${err.message}`));
  const response = await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
  return { page, status: response?.status() ?? 0 };
}

/** The browser and the site's address, once {@link useBuiltSite}'s `beforeAll` has run. */
export interface Site {
  browser: Browser;
  origin: string;
}

/**
 * Serves the built site and starts Chromium around the tests of the enclosing `describe` block; the
 * returned object is filled in before the first test.
 */
export function useBuiltSite(): Site {
  const site = {} as Site;
  let server: Server | undefined;
  beforeAll(async () => {
    expect(existsSync(dist), 'docs/.vitepress/dist is missing: run the docs build first').toBe(true);
    let origin: string;
    ({ server, origin } = await serveStatic(dist));
    site.origin = origin;
    site.browser = await launchChromium();
  });
  afterAll(async () => {
    await site.browser?.close();
    server?.close();
  });
  return site;
}
