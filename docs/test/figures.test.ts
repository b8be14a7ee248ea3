// The figures, the benchmark legend and the playground's memtable bar, as a reader sees them in
// headless Chromium: the diagrams' text keeps a contrast of at least 4.5:1 against the page in the
// light and in the dark theme; the benchmarks page shows its colour legend above each chart; the
// playground's bar never claims more than the engine counts, and flushes make tables of many entries.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { haveChromium, openPage, useBuiltSite } from './browser.js';

/** Contrast ratio (WCAG) of two `rgb(...)`/`rgba(...)` colours, the second being opaque. */
function contrast(foreground: string, background: string): number {
  const channels = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
  const [r, g, b, a = 1] = channels(foreground);
  const [br, bg, bb] = channels(background);
  const blend = [r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a)];
  const luminance = (rgb: number[]) => {
    const [lr, lg, lb] = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  };
  const [l1, l2] = [luminance(blend), luminance([br, bg, bb])].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}

/** The lowest contrast of any diagram text on the page, in the theme currently applied. */
async function lowestDiagramContrast(page: Page): Promise<{ figures: number; lowest: number }> {
  const colours = await page.evaluate(() => {
    const background = getComputedStyle(document.body).backgroundColor;
    const texts = [...document.querySelectorAll('.diagram svg text')];
    return {
      figures: document.querySelectorAll('.diagram svg').length,
      pairs: texts.map((t) => [getComputedStyle(t).fill, background] as [string, string]),
    };
  });
  const ratios = colours.pairs.map(([fg, bg]) => contrast(fg, bg));
  return { figures: colours.figures, lowest: Math.min(...ratios) };
}

describe.runIf(haveChromium())('figures, legend and playground in a real browser', () => {
  const site = useBuiltSite();

  const pages = [
    '/guide/durability',
    '/guide/reads-and-iterators',
    '/guide/sstables',
    '/guide/compaction',
    '/guide/manifest-and-recovery',
  ];

  it('draws each guide figure readable in the light and the dark theme', async () => {
    const errors: string[] = [];
    for (const path of pages) {
      const { page } = await openPage(site.browser, site.origin, path, errors);
      for (const dark of [false, true]) {
        await page.evaluate((on) => document.documentElement.classList.toggle('dark', on), dark);
        const { figures, lowest } = await lowestDiagramContrast(page);
        expect({ path, dark, figures }).toEqual({ path, dark, figures: 1 });
        expect(lowest, `${path} ${dark ? 'dark' : 'light'}`).toBeGreaterThanOrEqual(4.5);
      }
      await page.close();
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the benchmark colour legend above each chart', async () => {
    const errors: string[] = [];
    const { page } = await openPage(site.browser, site.origin, '/benchmarks', errors);
    const order = await page.evaluate(() =>
      [...document.querySelectorAll('.bench-chart svg')].map((svg) => {
        const legend = svg.previousElementSibling;
        return legend?.matches('[data-testid="bench-legend"]') ?? false;
      }),
    );
    expect(order.length).toBeGreaterThan(0);
    expect(order.every(Boolean)).toBe(true);
    await page.close();
    expect(errors).toEqual([]);
  }, 60_000);

  it('the memtable bar shows what the engine counts, and flushed tables hold many entries', async () => {
    const errors: string[] = [];
    const { page } = await openPage(site.browser, site.origin, '/playground', errors);
    await page.waitForSelector('[data-testid="memtable-label"]', { timeout: 30_000 });
    const label = async () => {
      const text = (await page.locator('[data-testid="memtable-label"]').textContent()) ?? '';
      const [, used, size] = /(\d+) of (\d+) bytes reserved/.exec(text) ?? [];
      return { used: Number(used), size: Number(size), full: text.includes('the next write flushes it') };
    };
    const empty = await label();
    expect(empty.used).toBeLessThan(empty.size / 4);
    for (let i = 0; i < 3; i++) {
      await page.click('[data-testid="write-random"]');
      await page.waitForFunction(
        (n) =>
          (document.querySelector('[data-testid="event-log"]')?.textContent?.match(/wrote 200/g) ?? [])
            .length >= n,
        i + 1,
      );
      const now = await label();
      expect(now.used <= now.size || now.full).toBe(true); // over the size only as "full: the next write flushes it"
      expect(now.used).toBeLessThan(2 * now.size);
    }
    await page.waitForSelector('[data-testid="sst"]', { timeout: 30_000 });
    const entries = await page
      .locator('[data-testid="sst"]')
      .evaluateAll((tables) =>
        tables.map((t) => Number(/(\d+) entries/.exec(t.getAttribute('title') ?? '')?.[1])),
      );
    expect(Math.min(...entries)).toBeGreaterThan(50);
    await page.click('[data-testid="compact"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="event-log"]')?.textContent?.includes('compactRange: merged'),
    );
    const log = (await page.locator('[data-testid="event-log"]').textContent()) ?? '';
    expect(log).toMatch(
      /compactRange: merged every table into the deepest level that held data \(L1 if only L0 did\): now L1 \(\d+ tables?\)/,
    );
    expect(log).not.toContain('last level');
    await page.close();
    expect(errors).toEqual([]);
  }, 120_000);
});
