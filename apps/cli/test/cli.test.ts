// Runs the built `velocity` binary (dist/main.js) against real directories.
import { spawn, spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'velocity-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function velocity(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('velocity', () => {
  const db = join(root, 'db');

  it('puts, gets, scans and deletes', () => {
    expect(velocity('put', db, 'fruit:apple', 'red').code).toBe(0);
    expect(velocity('put', db, 'fruit:banana', 'yellow').code).toBe(0);
    expect(velocity('put', db, 'veg:kale', 'green').code).toBe(0);
    expect(velocity('get', db, 'fruit:apple').out).toBe('red\n');
    const missing = velocity('get', db, 'fruit:plum');
    expect(missing.code).toBe(3);
    expect(missing.err).toContain('key not found');
    expect(velocity('scan', db, '--prefix', 'fruit:', '--keys-only').out).toBe('fruit:apple\nfruit:banana\n');
    expect(velocity('scan', db, '--reverse', '--limit', '1').out).toBe('veg:kale\tgreen\n');
    expect(velocity('scan', db, '--gte', 'fruit:b', '--format', 'json').out).toBe(
      '{"key":"fruit:banana","value":"yellow"}\n{"key":"veg:kale","value":"green"}\n',
    );
    expect(velocity('get', db, '6672756974', '--hex', '--format', 'hex').code).toBe(3);
    expect(velocity('del', db, 'veg:kale').code).toBe(0);
    expect(velocity('get', db, 'veg:kale').code).toBe(3);
  });

  it('deletes a range with del --range, and refuses a malformed one with exit code 2', () => {
    const dir = join(root, 'range');
    for (const k of ['a', 'b', 'c', 'd', 'e']) expect(velocity('put', dir, k, k.toUpperCase()).code).toBe(0);
    expect(velocity('del', dir, '--range', 'b', 'd').code).toBe(0);
    expect(velocity('scan', dir, '--keys-only').out).toBe('a\nd\ne\n');
    expect(velocity('del', dir, '--range', '65', '66', '--hex').code).toBe(0); // [e, f)
    expect(velocity('scan', dir, '--keys-only').out).toBe('a\nd\n');
    expect(velocity('del', dir, '--range', 'd', 'a').code).toBe(2);
    expect(velocity('del', dir, '--range', 'a').code).toBe(2);
    expect(velocity('del', dir, 'a', '--range', 'a', 'b').code).toBe(2);
    expect(velocity('del', dir).code).toBe(2);
    expect(velocity('scan', dir, '--keys-only').out).toBe('a\nd\n');
    // The tombstone is in the log or (after a reopen flushed it) in a table; dump shows either.
    const dumpAll = () =>
      readdirSync(dir)
        .filter((n) => n.endsWith('.log') || n.endsWith('.sst'))
        .map((n) => velocity('dump', join(dir, n)).out)
        .join('');
    expect(dumpAll()).toMatch(/delete range \[b, d\)|range deletion \[b, d\)/);
    // Compacted to the bottom with no snapshot: the tombstone and what it covered are gone.
    expect(velocity('compact', dir).code).toBe(0);
    const after = dumpAll();
    expect(after).not.toMatch(/range deletion|^ {2}b @/m);
    expect(velocity('scan', dir, '--keys-only').out).toBe('a\nd\n');
  });

  it('puts a value that expires with put --ttl', async () => {
    const dir = join(root, 'ttl');
    expect(velocity('put', dir, 'short', 'lived', '--ttl', '1').code).toBe(0);
    expect(velocity('put', dir, 'long', 'lived', '--ttl', '3600000').code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(velocity('get', dir, 'short').code).toBe(3);
    expect(velocity('get', dir, 'long').out).toBe('lived\n');
    expect(velocity('put', dir, 'k', 'v', '--ttl', '0').code).toBe(2);
  });

  it('imports JSON lines and CSV, exports them back, and compacts', () => {
    const jsonl = join(root, 'in.jsonl');
    writeFileSync(
      jsonl,
      Array.from({ length: 3000 }, (_, i) =>
        JSON.stringify({ key: `user:${String(i).padStart(5, '0')}`, value: { n: i } }),
      ).join('\n'),
    );
    const csv = join(root, 'in.csv');
    writeFileSync(csv, 'key,value\n"quoted,key","say ""hi"""\nplain,x\n');
    const imported = velocity('import', db, jsonl);
    expect(imported.code).toBe(0);
    expect(imported.err).toContain('imported 3,000 records');
    expect(velocity('import', db, csv).code).toBe(0);
    expect(velocity('get', db, 'quoted,key').out).toBe('say "hi"\n');
    expect(velocity('get', db, 'user:00042').out).toBe('{"n":42}\n');
    const out = join(root, 'out.jsonl');
    expect(velocity('export', db, out).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBe(3000 + 2 + 2);
    expect(JSON.parse(lines[0])).toEqual({ key: 'fruit:apple', value: 'red' });
    // How many files the merge writes depends on what background compactions did before.
    expect(velocity('compact', db).out).toMatch(/^compacted .* files?, .* -> \d+ files?, .*, now in L1\n$/);
    const stats = velocity('stats', db, '--json');
    expect(JSON.parse(stats.out).files).toBeGreaterThan(0);
    const report = velocity('stats', db).out;
    expect(report).toMatch(/in its files:\n\s+level\s+tables\s+entries\s+size\n/);
    expect(report).toMatch(/since this command opened it \(these counters start at zero on every open\)/);
    expect(report).toContain('write amplification n/a, nothing written');
    expect(JSON.parse(stats.out).levels.flatMap((l: { tables: unknown[] }) => l.tables)[0].smallestKey).toBe(
      'fruit:apple',
    );
  });

  it('stops quietly with exit code 0 when the reader of its output goes away (| head)', () => {
    const big = join(root, 'big');
    const jsonl = join(root, 'big.jsonl');
    // Enough output (~1 MB) to outlast the pipe's buffer, so the writes after `head` exits fail.
    const records = Array.from({ length: 20_000 }, (_, i) => ({ key: `key:${i}`, value: 'x'.repeat(40) }));
    writeFileSync(jsonl, records.map((r) => JSON.stringify(r)).join('\n'));
    expect(velocity('import', big, jsonl).code).toBe(0);
    expect(velocity('compact', big).code).toBe(0);
    const sst = readdirSync(big).find((n) => n.endsWith('.sst')) as string;
    for (const command of [`scan ${big}`, `export ${big} -`, `dump ${join(big, sst)}`]) {
      const piped = spawnSync(
        'bash',
        ['-c', `set -o pipefail; "${process.execPath}" "${bin}" ${command} | head -1`],
        {
          encoding: 'utf8',
        },
      );
      expect({ command, code: piped.status, err: piped.stderr.replace(/^exporting to.*\n/gm, '') }).toEqual({
        command,
        code: 0,
        err: '',
      });
      expect(piped.stdout.split('\n').length).toBe(2);
    }
  });

  it('stops at a malformed line saying what was committed and where to resume; --from, --skip-errors', () => {
    const dir = join(root, 'resume');
    const jsonl = join(root, 'broken.jsonl');
    const lines = Array.from({ length: 2500 }, (_, i) =>
      JSON.stringify({ key: `r${String(i).padStart(5, '0')}`, value: `${i}` }),
    );
    lines[1700] = '{"key": "r01700", "value": '; // line 1701
    writeFileSync(jsonl, lines.join('\n'));
    const stopped = velocity('import', dir, jsonl, '--batch-size', '500');
    expect(stopped.code).toBe(2);
    expect(stopped.err).toContain(
      `${jsonl}:1701: not valid JSON. The import stopped there: 1,700 records from lines 1 to 1700 were committed. ` +
        'Fix line 1701 and resume with --from 1701, or rerun with --skip-errors to skip malformed lines.',
    );
    expect(velocity('scan', dir, '--keys-only').out.trim().split('\n').length).toBe(1700);
    lines[1700] = JSON.stringify({ key: 'r01700', value: '1700' });
    writeFileSync(jsonl, lines.join('\n'));
    const resumed = velocity('import', dir, jsonl, '--from', '1701');
    expect(resumed.err).toContain('imported 800 records');
    expect(velocity('scan', dir, '--keys-only').out.trim().split('\n').length).toBe(2500);

    lines[10] = 'not json';
    lines[20] = '{"key": 5, "value": "x"}';
    writeFileSync(jsonl, lines.join('\n'));
    const skipping = velocity('import', join(root, 'skipping'), jsonl, '--skip-errors');
    expect(skipping.code).toBe(0);
    expect(skipping.err).toContain('skipped line 11: not valid JSON\n');
    expect(skipping.err).toContain('skipped line 21: needs a string "key" (or "keyHex")\n');
    expect(skipping.err).toContain('imported 2,498 records into');
    expect(skipping.err).toContain('skipped 2 malformed lines');
  });

  it('round-trips JSON values with --value-format json; text is the default', () => {
    const input = join(root, 'values.jsonl');
    const values = [2, '2', { x: [1, null] }, true, 'text'];
    writeFileSync(input, values.map((value, i) => JSON.stringify({ key: `v${i}`, value })).join('\n'));
    const asJson = join(root, 'json-values');
    expect(velocity('import', asJson, input, '--value-format', 'json').code).toBe(0);
    const exported = velocity('export', asJson, '-', '--value-format', 'json').out.trim().split('\n');
    expect(exported.map((line) => JSON.parse(line).value)).toEqual(values);
    expect(velocity('get', asJson, 'v1').out).toBe('"2"\n'); // stored as JSON text
    const asText = join(root, 'text-values');
    expect(velocity('import', asText, input).code).toBe(0);
    const plain = velocity('export', asText, '-').out.trim().split('\n');
    expect(plain.map((line) => JSON.parse(line).value)).toEqual(['2', '2', '{"x":[1,null]}', 'true', 'text']);
    const notJson = velocity('export', asText, '-', '--value-format', 'json');
    expect(notJson.code).toBe(2);
    expect(notJson.err).toContain('the value of v4 is not JSON text');
  });

  it('dumps tables, logs and manifests', () => {
    const names = readdirSync(db);
    const sst = names.find((n) => n.endsWith('.sst')) as string;
    const dumped = velocity('dump', join(db, sst), '--limit', '2');
    expect(dumped.code).toBe(0);
    expect(dumped.out).toMatch(/entries in \d+ data blocks/);
    const manifest = names.find((n) => n.startsWith('MANIFEST-')) as string;
    expect(velocity('dump', join(db, manifest)).out).toContain('comparator velocity.BytewiseComparator');
    const log = names.find((n) => n.endsWith('.log')) as string;
    expect(velocity('dump', join(db, log)).code).toBe(0);
    expect(velocity('dump', join(db, 'CURRENT')).code).toBe(2);
  });

  it('verifies a sound database, and names the damage in a flipped or truncated table', () => {
    expect(velocity('verify', db).out).toContain('OK');
    const sst = readdirSync(db)
      .filter((n) => n.endsWith('.sst'))
      .sort((a, b) => statSync(join(db, b)).size - statSync(join(db, a)).size)[0];
    const path = join(db, sst);
    const bytes = readFileSync(path);
    const flipped = Buffer.from(bytes);
    flipped[100] ^= 0xff;
    writeFileSync(path, flipped);
    const bad = velocity('verify', db);
    expect(bad.code).toBe(6);
    expect(bad.out).toContain(`DAMAGED ${sst}`);
    expect(bad.out).toMatch(/checksum/);
    writeFileSync(path, bytes);
    expect(velocity('verify', db).code).toBe(0);
    truncateSync(path, bytes.length - 10);
    const cut = velocity('verify', db);
    expect(cut.code).toBe(6);
    expect(cut.out).toContain(`DAMAGED ${sst}`);
    writeFileSync(path, bytes);
  });

  it('reports clear errors with documented exit codes', () => {
    const notDb = join(root, 'not-a-db');
    const plain = join(root, 'plain');
    writeFileSync(join(root, 'x'), 'x');
    const missing = velocity('get', notDb, 'k');
    expect(missing.code).toBe(5);
    expect(missing.err).toBe(`velocity: there is no database in ${notDb}\n`);
    rmSync(plain, { force: true, recursive: true });
    spawnSync('mkdir', ['-p', plain]);
    writeFileSync(join(plain, 'notes.txt'), 'mine');
    const foreign = velocity('put', plain, 'k', 'v');
    expect(foreign.code).toBe(5);
    expect(foreign.err).toContain('not a Velocity database');
    expect(velocity('verify', plain).code).toBe(5);
    expect(velocity('scan', db, '--limit', 'zero').code).toBe(2);
    expect(velocity('frobnicate').code).toBe(2);
    const version = velocity('--version');
    expect(version.code).toBe(0);
    expect(version.out).toBe(
      `${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`,
    );
    const help = velocity('scan', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--prefix');
  });

  it('repairs a damaged database: salvages the rest, moves the originals aside, verifies clean', () => {
    const dir = join(root, 'to-repair');
    const jsonl = join(root, 'repair.jsonl');
    writeFileSync(
      jsonl,
      Array.from({ length: 2000 }, (_, i) =>
        JSON.stringify({ key: `k${String(i).padStart(5, '0')}`, value: 'v'.repeat(50) }),
      ).join('\n'),
    );
    expect(velocity('import', dir, jsonl).code).toBe(0);
    expect(velocity('compact', dir).code).toBe(0);
    expect(velocity('put', dir, 'late', 'in the log').code).toBe(0);
    const sst = readdirSync(dir)
      .filter((n) => n.endsWith('.sst'))
      .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
    const original = readFileSync(join(dir, sst));
    const damaged = Buffer.from(original);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    writeFileSync(join(dir, sst), damaged);
    expect(velocity('verify', dir).code).toBe(6);
    const repaired = velocity('repair', dir);
    expect(repaired.code).toBe(0);
    expect(repaired.out).toContain(`lost: ${sst}`);
    const movedTo = /original files are in (\S+)/.exec(repaired.out)?.[1] as string;
    expect(readFileSync(join(movedTo, sst))).toEqual(damaged); // the damaged original is kept, untouched
    expect(velocity('verify', dir).code).toBe(0);
    expect(velocity('get', dir, 'late').out).toBe('in the log\n');
    const keys = velocity('scan', dir, '--keys-only', '--prefix', 'k').out.trim().split('\n');
    expect(keys.length).toBeGreaterThan(1000);
    expect(keys.length).toBeLessThan(2000);
  });

  it('reads beside a running writer, and its read commands change nothing in the directory', async () => {
    const dir = join(root, 'shared');
    const writer = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DB } from '@velocity/db';
         const db = await DB.open(${JSON.stringify(dir)}, { memtableSize: 16 * 1024 });
         for (let i = 0; i < 500; i++) await db.put('k' + String(i).padStart(4, '0'), 'v'.repeat(50));
         await db.compactRange(); // then the directory stays as it is while the writer idles
         await db.put('hello', 'world');
         await new Promise((resolve) => setTimeout(resolve, 300)); // background unlinks finish
         console.log('ready');
         process.stdin.on('data', async () => { await db.close(); process.exit(0); });`,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const closed = new Promise((resolve) => writer.on('close', resolve));
    await new Promise<void>((resolve) =>
      writer.stdout.on('data', (d) => String(d).includes('ready') && resolve()),
    );
    const state = () =>
      readdirSync(dir)
        .sort()
        .map((name) => `${name} ${statSync(join(dir, name)).mtimeMs} ${statSync(join(dir, name)).size}`);
    const before = state();
    try {
      expect(velocity('get', dir, 'hello').out).toBe('world\n');
      expect(velocity('scan', dir, '--keys-only', '--prefix', 'k').out.split('\n').length).toBe(501);
      expect(velocity('stats', dir).code).toBe(0);
      expect(velocity('export', dir, '-').out.split('\n').length).toBe(502);
      expect(velocity('verify', dir).code).toBe(0);
      expect(velocity('put', dir, 'k', 'v').code).toBe(4); // the writer holds the lock
      expect(state()).toEqual(before);
    } finally {
      writer.stdin.write('stop\n');
      await closed;
    }
  });

  it('checkpoints a database into a directory that opens as the same data', () => {
    const source = join(root, 'to-copy');
    for (let i = 0; i < 8; i++) expect(velocity('put', source, `k${i}`, `v${i}`).code).toBe(0);
    expect(velocity('compact', source).code).toBe(0);
    expect(velocity('put', source, 'last', 'in the log').code).toBe(0);
    const target = join(root, 'copy');
    const made = velocity('checkpoint', source, target);
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/[1-9]\d* tables linked, 0 copied/);
    expect(velocity('get', target, 'k7').out).toBe('v7\n');
    expect(velocity('get', target, 'last').out).toBe('in the log\n');
    expect(velocity('verify', target).code).toBe(0);
    const again = velocity('checkpoint', source, target);
    expect(again.code).toBe(1);
    expect(again.err).toContain('ALREADY_EXISTS');
  });

  it('backs up incrementally and restores a backup', () => {
    const source = join(root, 'to-copy');
    const backups = join(root, 'backups');
    const first = velocity('backup', source, backups);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^backup 1 of /);
    expect(velocity('put', source, 'later', 'yes').code).toBe(0);
    const second = velocity('backup', source, backups);
    expect(second.out).toMatch(/^backup 2 of /);
    const counts = (out: string) => /(\d+) files, (\d+) copied/.exec(out)!.slice(1).map(Number);
    const [files, copied] = counts(second.out);
    expect(copied).toBeLessThan(files); // the tables backup 1 copied are not copied again
    const target = join(root, 'restored');
    expect(velocity('restore', backups, '1', target).code).toBe(0);
    expect(velocity('get', target, 'k7').out).toBe('v7\n');
    expect(velocity('get', target, 'later').code).toBe(3);
    expect(velocity('restore', backups, '9', join(root, 'nine')).code).toBe(5);
  });
});
