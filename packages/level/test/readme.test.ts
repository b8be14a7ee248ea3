import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { VelocityLevel } from '../src/index.js';

it('runs the README example with a sublevel', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-level-readme-'));
  try {
    const db = new VelocityLevel<string, unknown>(join(dir, 'example-db'), { valueEncoding: 'json' });
    const users = db.sublevel<string, { born: number }>('users', { valueEncoding: 'json' });
    await users.put('ada', { born: 1815 });
    await users.put('grace', { born: 1906 });
    await db.put('config', { theme: 'dark' });
    const seen: [string, number][] = [];
    for await (const [name, user] of users.iterator()) seen.push([name, user.born]);
    expect(seen).toEqual([
      ['ada', 1815],
      ['grace', 1906],
    ]);
    expect(await users.get('ada')).toEqual({ born: 1815 });
    expect(db.getSync('config')).toEqual({ theme: 'dark' });
    const snapshot = db.snapshot();
    await users.del('ada');
    expect(await users.get('ada', { snapshot })).toEqual({ born: 1815 });
    expect(await users.get('ada')).toBeUndefined();
    await snapshot.close();
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
