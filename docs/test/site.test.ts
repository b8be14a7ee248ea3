// Loads the built docs site in headless Chromium (Debian's package, driven by playwright-core), follows
// every internal link, fails on broken links and console errors, drives the playground, and saves
// screenshots under artifacts/screenshots/. Run after the docs build (`npm test` builds it first).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, haveChromium, openPage as open, useBuiltSite } from './browser.js';
const screenshots = fileURLToPath(new URL('../../artifacts/screenshots', import.meta.url));
const chromiumFound = haveChromium();
if (!chromiumFound) console.log(`[docs] skipping the browser test: no Chromium at ${chromiumPath}`);

describe.runIf(chromiumFound)('the docs site in a real browser', () => {
  const site = useBuiltSite();
  beforeAll(() => {
    mkdirSync(screenshots, { recursive: true });
  });

  function openPage(path: string, errors: string[]): Promise<{ page: Page; status: number }> {
    return open(site.browser, site.origin, path, errors);
  }

  it('has no broken internal links and no console errors on any page', async () => {
    const seen = new Set<string>(['/']);
    const queue = ['/'];
    const broken: string[] = [];
    const errors: string[] = [];
    let current = '/';
    const page = await site.browser.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${current}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`${current}: ${err.message}`));
    while (queue.length > 0) {
      current = queue.shift() as string;
      const response = await page.goto(`${site.origin}${current}`, { waitUntil: 'load' });
      if (response?.status() !== 200) broken.push(`${current} -> ${response?.status()}`);
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const href of hrefs) {
        const url = new URL(href);
        if (url.origin !== site.origin) continue;
        const next = url.pathname.replace(/\.html$/, '');
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    await page.close();
    expect(broken).toEqual([]);
    expect(errors).toEqual([]);
    // The guide, the formats, the API reference, the playground and the benchmarks are all reachable.
    for (const section of ['/guide/', '/formats/', '/api/', '/playground', '/benchmarks']) {
      expect([...seen].some((p) => p.startsWith(section))).toBe(true);
    }
    console.log(`[docs] crawled ${seen.size} pages`);
  }, 300_000);

  it('renders the home page', async () => {
    const errors: string[] = [];
    const { page } = await openPage('/', errors);
    await expect(page.locator('h1').first().textContent()).resolves.toContain('Velocity');
    await page.screenshot({ path: `${screenshots}/home.png`, fullPage: true });
    await page.close();
    expect(errors).toEqual([]);
  }, 60_000);

  it('runs the real engine in the playground: writes fill the memtable and a flush appears', async () => {
    const errors: string[] = [];
    const { page } = await openPage('/playground', errors);
    await page.waitForSelector('[data-testid="memtable-bar"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="sst"]').count()).toBe(0);
    await page.click('[data-testid="write-random"]');
    await page.click('[data-testid="write-random"]');
    await page.click('[data-testid="flush"]');
    await page.waitForSelector('[data-testid="sst"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="event-log"]').textContent()).toContain('flush');
    await page.fill('[data-testid="key"]', 'apple');
    await page.fill('[data-testid="value"]', 'green');
    await page.click('[data-testid="put"]');
    await page.click('[data-testid="get"]');
    await expect(page.locator('[data-testid="read-result"]').textContent()).resolves.toContain('green');
    await page.click('[data-testid="compact"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="event-log"]')?.textContent?.includes('compact'),
    );
    await page.screenshot({ path: `${screenshots}/playground.png`, fullPage: true });
    expect(await page.locator('[data-testid="playground-error"]').count()).toBe(0);
    // It persists in OPFS: after a reload the tables and the key are still there; reset empties it.
    expect(await page.locator('[data-testid="storage"]').textContent()).toContain('OPFS');
    await page.reload({ waitUntil: 'networkidle' });
    await page.waitForSelector('[data-testid="sst"]', { timeout: 30_000 });
    await page.fill('[data-testid="key"]', 'apple');
    await page.click('[data-testid="get"]');
    await expect(page.locator('[data-testid="read-result"]').textContent()).resolves.toContain('green');
    await page.click('[data-testid="reset"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="event-log"]')?.textContent?.includes('reset: deleted'),
    );
    expect(await page.locator('[data-testid="sst"]').count()).toBe(0);
    await page.click('[data-testid="get"]');
    await expect(page.locator('[data-testid="read-result"]').textContent()).resolves.toContain('not found');
    expect(await page.locator('[data-testid="playground-error"]').count()).toBe(0);
    await page.close();
    expect(errors).toEqual([]);
  }, 120_000);
});
