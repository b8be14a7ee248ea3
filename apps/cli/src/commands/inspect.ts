/**
 * `dump` and `verify`: reading Velocity's files directly, without opening the database (`verify` is
 * `verify` of `@velocity/db`, printed).
 * @module
 */
import {
  ByteReader,
  EXPIRY_PREFIX_SIZE,
  RANGE_DELETE_KIND,
  ValueKind,
  bytewiseComparator,
  decodeExpiry,
  InternalKeyComparator,
  parseInternalKey,
  type RandomAccessFile,
} from '@velocity/core';
import { NodeFileSystem } from '@velocity/core/node';
import { parseFileName, VersionEdit, type VerifyReport, verify as verifyDatabase } from '@velocity/db';
import { TableReader } from '@velocity/sstable';
import { LogReader } from '@velocity/wal';
import { renderText } from '../encoding.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { toCliError } from '../open.js';
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

/** A stored value as `= value`, with its expiry time for a put with expiry. */
function describeValue(kind: number, value: Uint8Array): string {
  if (kind !== ValueKind.PutWithExpiry) return `= ${renderText(value)}`;
  const at = decodeExpiry(value);
  const when = at <= 8.64e15 ? new Date(at).toISOString() : `${at} ms`;
  return `= ${renderText(value.subarray(EXPIRY_PREFIX_SIZE))} (expires ${when})`;
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
    if (kind === RANGE_DELETE_KIND)
      lines.push(`  delete range [${renderText(key)}, ${renderText(r.readLengthPrefixed())})`);
    else if (kind !== ValueKind.Delete)
      lines.push(`  put ${renderText(key)} ${describeValue(kind, r.readLengthPrefixed())}`);
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
        `[${renderText(file.smallestKey)} .. ${renderText(file.largestKey)}] seq ${file.smallestSequence}..${file.largestSequence}` +
        (file.rangeTombstones > 0 ? `, ${file.rangeTombstones} range tombstones` : ''),
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
    for (const t of table.rangeTombstones())
      out(`  range deletion [${renderText(t.start)}, ${renderText(t.end)}) @${t.sequence}`);
    const it = table.iterator();
    let n = 0;
    try {
      for (it.seekToFirst(); it.valid() && n < (options.limit ?? Number.POSITIVE_INFINITY); it.next(), n++) {
        const k = parseInternalKey(it.key());
        out(
          `  ${renderText(k.userKey)} @${k.sequence} ${k.kind === ValueKind.Delete ? '(deleted)' : describeValue(k.kind, it.value())}`,
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

/** `velocity verify DIR`: exits 6 and names each damaged file when anything is wrong. */
export async function verify(
  dir: string,
  out: (line: string) => void,
  log: (line: string) => void,
): Promise<void> {
  let report: VerifyReport;
  try {
    report = await verifyDatabase(dir, { fs });
  } catch (error) {
    throw toCliError(error, dir);
  }
  for (const note of report.notes) log(note);
  if (report.ok) {
    out(`${dir}: OK, every checksum verified`);
    return;
  }
  for (const d of report.damage) out(`DAMAGED ${d.file}: ${d.problem}`);
  throw new CliError(`${dir}: ${report.damage.length} damaged file(s)`, ExitCode.Damaged);
}
