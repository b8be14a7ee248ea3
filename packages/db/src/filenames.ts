/**
 * Names of the files in a database directory (see docs/formats/directory.md).
 * @module
 */
import { joinPath } from '@velocity/core';

/** Names the live manifest. */
export const CURRENT = 'CURRENT';
/** The lock file. */
export const LOCK = 'LOCK';
/** The format marker. */
export const FORMAT_MARKER = 'VELOCITY';
/** Suffix of temporary files written before a rename. */
export const TEMP_SUFFIX = '.dbtmp';

/** What a file in the directory is. */
export type FileKind = 'log' | 'table' | 'manifest' | 'current' | 'lock' | 'marker' | 'temp';

/** A recognized file name. */
export interface ParsedFileName {
  /** What the file is: `log`, `table`, `manifest`, `current`, `lock`, `marker` or `temp`. */
  kind: FileKind;
  /** File number (0 for CURRENT, LOCK and the marker). */
  number: number;
}

function pad(n: number): string {
  return String(n).padStart(6, '0');
}

/** `NNNNNN.log` */
export function logFileName(dir: string, n: number): string {
  return joinPath(dir, `${pad(n)}.log`);
}

/** `NNNNNN.sst` */
export function tableFileName(dir: string, n: number): string {
  return joinPath(dir, `${pad(n)}.sst`);
}

/** `MANIFEST-NNNNNN` */
export function manifestFileName(dir: string, n: number): string {
  return joinPath(dir, `MANIFEST-${pad(n)}`);
}

/** `NNNNNN.dbtmp` */
export function tempFileName(dir: string, n: number): string {
  return joinPath(dir, `${pad(n)}${TEMP_SUFFIX}`);
}

const NUMBERED = /^(\d{6,16})\.(log|sst|dbtmp)$/;
const MANIFEST = /^MANIFEST-(\d{6,16})$/;

/** Recognizes a file name of ours (a name, not a path); undefined for anything else. */
export function parseFileName(name: string): ParsedFileName | undefined {
  if (name === CURRENT) return { kind: 'current', number: 0 };
  if (name === LOCK) return { kind: 'lock', number: 0 };
  if (name === FORMAT_MARKER) return { kind: 'marker', number: 0 };
  if (name.endsWith(TEMP_SUFFIX) && !NUMBERED.test(name)) return { kind: 'temp', number: 0 };
  let m = NUMBERED.exec(name);
  if (m !== null) {
    const number = Number(m[1]);
    const kind = m[2] === 'log' ? 'log' : m[2] === 'sst' ? 'table' : 'temp';
    return { kind, number };
  }
  m = MANIFEST.exec(name);
  if (m !== null) return { kind: 'manifest', number: Number(m[1]) };
  return undefined;
}
