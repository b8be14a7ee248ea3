import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from '../src/index.js';

describe('demo', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes, verifies and reopens a real database directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'velocity-demo-test-'));
    dirs.push(dir);
    const lines: string[] = [];
    const summary = await runDemo(dir, (l) => lines.push(l));
    expect(summary.records).toBe(5000);
    expect(summary.deleted).toBe(50);
    expect(lines.some((l) => l.includes('after reopen'))).toBe(true);
    // Keys print as text, not as a JSON dump of a Uint8Array ({"0":117,"1":115,...}).
    const level = lines.find((l) => /^ {2}L\d+: /.test(l));
    expect(level).toMatch(
      /^ {2}L\d+: \d+ tables?, \d+ bytes, 4950 entries, keys user:000001 \.\. user:004999$/,
    );
    expect(lines.join('\n')).not.toContain('{"0":');
    const names = readdirSync(dir);
    expect(names).toContain('CURRENT');
    expect(names.some((n) => n.endsWith('.sst'))).toBe(true);
  });
});
