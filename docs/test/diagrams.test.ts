// The guides' figures (docs/diagrams/*.svg, drawn by the Diagram component): every figure a page names
// exists, the five the guide needs are drawn, and each one takes its colours only from the theme's CSS
// variables (with fallbacks), so it reads in the light and the dark theme alike. The browser test
// (figures.test.ts) measures the contrast of the rendered text in both themes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const docs = fileURLToPath(new URL('..', import.meta.url));
const diagrams = join(docs, 'diagrams');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'api') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const used = markdownFiles(docs).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/<Diagram name="([\w-]+)"/g)].map((m) => ({ file, name: m[1] })),
);
const files = readdirSync(diagrams).filter((name) => name.endsWith('.svg'));

describe('diagrams', () => {
  it('draws the write path, the read path, the SSTable layout, leveled vs tiered and the manifest', () => {
    expect(new Set(used.map((u) => u.name))).toEqual(
      new Set(['write-path', 'read-path', 'sstable-layout', 'leveled-vs-tiered', 'manifest-edits']),
    );
  });

  it('every figure a page names exists, and every file is used', () => {
    for (const { file, name } of used) expect(files, `${file} names ${name}`).toContain(`${name}.svg`);
    for (const file of files) expect(used.map((u) => `${u.name}.svg`)).toContain(file);
  });

  for (const file of files) {
    it(`${file}: a viewBox, a title, its own marker ids, colours only from theme variables`, () => {
      const svg = readFileSync(join(diagrams, file), 'utf8');
      const prefix = /<marker id="([a-z]+)-/.exec(svg)?.[1];
      expect(svg).toMatch(/<svg [^>]*viewBox="0 0 \d+ \d+"/);
      expect(svg).toMatch(/<title id="[a-z]+-title">[^<]{40,}<\/title>/);
      // Markers are unique per figure: several figures inline on one page must not share ids.
      for (const [, id] of svg.matchAll(/id="([^"]+)"/g)) expect(id.startsWith(`${prefix}-`)).toBe(true);
      // No colour outside the <style>, and every colour in it is a theme variable with a fallback.
      const outside = svg.replace(/<style>[\s\S]*<\/style>/, '');
      expect(outside).not.toMatch(/(fill|stroke|color)="(?!url\()[^"]*"/);
      expect(outside).not.toMatch(/style="[^"]*(fill|stroke|color)\s*:/);
      const style = /<style>([\s\S]*)<\/style>/.exec(svg)?.[1] ?? '';
      for (const [, value] of style.matchAll(/(?:fill|stroke):\s*([^;]+);/g))
        expect(value).toMatch(/^(var\(--vp-[\w-]+, [^)]+\)?\)|none)$/);
    });
  }
});
