// The release script's plan (scripts/release.mjs): the changesets configuration must validate (a
// published package depending on an unversioned one fails `changeset status`), and only public
// packages are ever released. The full dry run (`release:dry-run`) also runs `pnpm publish --dry-run`.
import { describe, expect, it } from 'vitest';
import { plannedReleases } from '../release.mjs';

describe('release plan', () => {
  it('lists bumps of public packages only, from the pending changesets', () => {
    const releases = plannedReleases() as { name: string; oldVersion: string; newVersion: string }[];
    const names = releases.map((r) => r.name);
    for (const privateName of ['@velocity/bench', '@velocity/demo', '@velocity/docs'])
      expect(names).not.toContain(privateName);
    for (const r of releases) expect(r.newVersion).not.toBe(r.oldVersion);
    expect(names.every((name) => name.startsWith('@velocity/'))).toBe(true);
  });
});
