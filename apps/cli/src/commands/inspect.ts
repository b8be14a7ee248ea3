/**
 * `dump` and `verify`: reading Velocity's files directly, without opening the database.
 * @module
 */
import {
  ByteReader,
  bytewiseComparator,
  extractUserKey,
  InternalKeyComparator,
  isVelocityError,
  joinPath,
  parseInternalKey,
  type RandomAccessFile,
} from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import { parseFileName, readCurrent, VersionEdit } from '@velocity/db';
import { TableReader } from '@velocity/sstable';
import { LogReader } from '@velocity/wal';
import { renderText } from '../encoding.js';
import { CliError, ExitCode } from '../exit-codes.js';
import type { Io } from '../program.js';

const fs = new NodeFileSystem();
const icmp = new InternalKeyComparator(bytewiseComparator);

function open(path: string): RandomAccessFile {
  try {
    return fs.openReadable(path);
  } catch (error) {
    throw new CliError(`cannot open ${path}: ${(error as Error).message}`, ExitCode.Usage);
  }
}

/** Describes a write batch (a log record): sequence, count and each operation. */
export function describeBatch(record: Uint8Array): string[] {
  const r = new ByteReader(record);
  const sequence = r.readFixed64();
  const count = r.readFixed32();
  const lines = [`batch seq=${sequence} count=${count}`];
  for (let i = 0; i < count; i++) {
    const kind = r.readByte();
    const key = r.readLengthPrefixed();
    if (kind === 1) lines.push(`  put ${renderText(key)} = ${renderText(r.readLengthPrefixed())}`);
    else lines.push(`  del ${renderText(key)}`);
  }
  return lines;
}

/** Describes a manifest record (a version edit). */
export function describeEdit(record: Uint8Array): string[] {
  const edit = VersionEdit.decode(record);
  const lines: string[] = ['edit'];
  if (edit.comparatorName !== undefined) lines.push(`  comparator ${edit.comparatorName}`);
  if (edit.logNumber !== undefined) lines.push(`  log number ${edit.logNumber}`);
  if (edit.nextFileNumber !== undefined) lines.push(`  next file ${edit.nextFileNumber}`);
  if (edit.lastSequence !== undefined) lines.push(`  last sequence ${edit.lastSequence}`);
  for (const d of edit.deletedFiles) lines.push(`  delete L${d.level} #${d.number}`);
  for (const { level, file } of edit.newFiles) {
    lines.push(
      `  add L${level} #${file.id} ${file.size} bytes, ${file.entries} entries, ` +
        `[${renderText(file.smallestKey)} .. ${renderText(file.largestKey)}] seq ${file.smallestSequence}..${file.largestSequence}`,
    );
  }
  return lines;
}

/** `velocity dump FILE`: a table's properties and entries, or a log's or manifest's records. */
export async function dump(
  path: string,
  io: Pick<Io, 'out' | 'pace'>,
  options: { limit?: number } = {},
): Promise<void> {
  const out = io.out;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const kind = parseFileName(name)?.kind;
  if (kind === 'table' || name.endsWith('.sst')) {
    const table = TableReader.open(open(path), { comparator: icmp });
    const p = table.properties;
    out(`table ${path}: ${p.entries} entries in ${p.dataBlocks} data blocks, ${p.fileSize} bytes`);
    out(
      `  keys ${p.rawKeyBytes} bytes, values ${p.rawValueBytes} bytes, data ${p.dataBytes} bytes stored, index ${p.indexBytes}, filter ${p.filterBytes}`,
    );
    out(
      `  comparator ${p.comparatorName}, filter ${p.filterPolicyName || 'none'}, compression ${p.compressionName}, block size ${p.blockSize}`,
    );
    const it = table.iterator();
    let n = 0;
    try {
      for (it.seekToFirst(); it.valid() && n < (options.limit ?? Number.POSITIVE_INFINITY); it.next(), n++) {
        const k = parseInternalKey(it.key());
        out(
          `  ${renderText(k.userKey)} @${k.sequence} ${k.kind === 1 ? `= ${renderText(it.value())}` : '(deleted)'}`,
        );
        await io.pace?.();
      }
    } finally {
      table.close();
    }
    return;
  }
  if (kind === 'log' || kind === 'manifest') {
    const reader = new LogReader(open(path), { mode: 'skip-any-corrupted' });
    out(`${kind} ${path}`);
    let n = 0;
    for (const record of reader) {
      if (n++ >= (options.limit ?? Number.POSITIVE_INFINITY)) break;
      for (const line of kind === 'log' ? describeBatch(record) : describeEdit(record)) out(`  ${line}`);
      await io.pace?.();
    }
    for (const d of reader.dropped) out(`  dropped ${d.bytes} bytes at ${d.offset}: ${d.reason}`);
    return;
  }
  throw new CliError(`${path}: not a .sst, .log or MANIFEST file`, ExitCode.Usage);
}

/** One problem `verify` found. */
export interface Damage {
  file: string;
  problem: string;
}

/**
 * Checks every block of every table, every record of every log and of the manifest, and that every
 * table the manifest names exists. A torn tail of the newest log is reported as a note, not damage
 * (a crash leaves one; recovery cuts it).
 */
export function verifyDirectory(dir: string, note: (line: string) => void = () => {}): Damage[] {
  const damage: Damage[] = [];
  let names: string[];
  try {
    names = fs.list(dir);
  } catch {
    throw new CliError(`${dir}: no such directory`, ExitCode.NotADatabase);
  }
  if (!names.includes('CURRENT'))
    throw new CliError(`${dir}: not a Velocity database (no CURRENT)`, ExitCode.NotADatabase);
  const live = new Set<number>();
  try {
    const manifest = readCurrent(fs, dir);
    const reader = new LogReader(open(joinPath(dir, `MANIFEST-${String(manifest).padStart(6, '0')}`)), {
      mode: 'absolute-consistency',
    });
    for (const record of reader) {
      const edit = VersionEdit.decode(record);
      for (const d of edit.deletedFiles) live.delete(d.number);
      for (const f of edit.newFiles) live.add(f.file.id);
    }
    note(`manifest ${manifest}: ${live.size} live tables`);
  } catch (error) {
    damage.push({ file: 'MANIFEST/CURRENT', problem: (error as Error).message });
  }
  const logs = names.filter((n) => parseFileName(n)?.kind === 'log').sort();
  for (const name of names) {
    const parsed = parseFileName(name);
    const path = joinPath(dir, name);
    try {
      if (parsed?.kind === 'table') {
        const table = TableReader.open(open(path), { comparator: icmp });
        const it = table.iterator();
        let entries = 0;
        for (it.seekToFirst(); it.valid(); it.next()) {
          extractUserKey(it.key());
          entries++;
        }
        if (entries !== table.properties.entries)
          damage.push({
            file: name,
            problem: `${entries} entries read, ${table.properties.entries} recorded`,
          });
        table.close();
      } else if (parsed?.kind === 'log') {
        const reader = new LogReader(open(path));
        let records = 0;
        for (const record of reader) {
          describeBatch(record);
          records++;
        }
        for (const d of reader.dropped) {
          const newest = name === logs[logs.length - 1];
          if (newest) note(`${name}: torn tail of ${d.bytes} bytes at ${d.offset} (normal after a crash)`);
          else damage.push({ file: name, problem: `${d.reason} at offset ${d.offset}` });
        }
        note(`${name}: ${records} records`);
      }
    } catch (error) {
      damage.push({
        file: name,
        problem: isVelocityError(error) ? `${error.code}: ${error.message}` : String(error),
      });
    }
  }
  for (const id of live) {
    if (!names.includes(`${String(id).padStart(6, '0')}.sst`))
      damage.push({
        file: `${String(id).padStart(6, '0')}.sst`,
        problem: 'named by the manifest but missing',
      });
  }
  return damage;
}

/** `velocity verify DIR`: exits 6 and names each damaged file when anything is wrong. */
export function verify(dir: string, out: (line: string) => void, log: (line: string) => void): void {
  const damage = verifyDirectory(dir, log);
  if (damage.length === 0) {
    out(`${dir}: OK, every checksum verified`);
    return;
  }
  for (const d of damage) out(`DAMAGED ${d.file}: ${d.problem}`);
  throw new CliError(`${dir}: ${damage.length} damaged file(s)`, ExitCode.Damaged);
}
