import { type RandomAccessFile, VelocityError, crc32cExtend, decodeFixed32, unmaskCrc } from '@velocity/core';
import { BLOCK_SIZE, FragmentType, HEADER_SIZE } from './format.js';
import type { DroppedBytes, RecoveryMode } from './types.js';

/** Options of {@link LogReader}. */
export interface LogReaderOptions {
  /** How damage is treated (default `'tolerate-corrupted-tail'`). */
  mode?: RecoveryMode;
  /** Return only records that begin at or after this file offset. */
  initialOffset?: number;
}

const EOF = -1;

/** True when the fragment at `p` with payload `length` has a matching checksum. */
function fragmentIntact(b: Uint8Array, p: number, length: number): boolean {
  const stored = unmaskCrc(decodeFixed32(b, p));
  return (
    stored === crc32cExtend(crc32cExtend(0, b, p + 6, p + 7), b, p + HEADER_SIZE, p + HEADER_SIZE + length)
  );
}

/** True when a whole, intact, non-empty-typed fragment starts at `p`. */
function nextFragmentIntact(b: Uint8Array, p: number): boolean {
  const length = b[p + 4] | (b[p + 5] << 8);
  const type = b[p + 6];
  return type !== 0 && p + HEADER_SIZE + length <= b.length && fragmentIntact(b, p, length);
}
const BAD = -2;

/**
 * Reads records back from a log, block by block. Damage is handled by the recovery mode:
 *
 * - `'tolerate-corrupted-tail'` (default): damage counts as a torn *tail* when no intact fragment
 *   follows it anywhere in the file; a torn tail is cut silently (but listed in `dropped`). Damage
 *   followed by intact data throws `CORRUPTION`.
 * - `'absolute-consistency'`: any damage, tail included, throws `CORRUPTION`.
 * - `'point-in-time'`: reading stops at the first damage; the records before it are returned.
 * - `'skip-any-corrupted'`: damaged records are skipped and reading goes on.
 *
 * Every stretch of skipped bytes is listed in `dropped` with its reason, whatever the mode.
 */
export class LogReader {
  private readonly source: RandomAccessFile | Uint8Array;
  private readonly fileSize: number;
  private readonly mode: RecoveryMode;
  private readonly initialOffset: number;
  private block: Uint8Array = new Uint8Array(0);
  private blockStart = 0;
  private pos = 0;
  private nextBlock: number;
  private eof = false;
  private stopped = false;
  private fragmentOffset = 0;
  private pendingDamage: DroppedBytes | undefined;
  /** A FULL or FIRST fragment was seen (MIDDLE/LAST before one are skipped after an initial offset). */
  private sawStart = false;
  private readonly drops: DroppedBytes[] = [];
  /** File offset of the first fragment of the last record returned. */
  lastRecordOffset = 0;

  constructor(source: RandomAccessFile | Uint8Array, options: LogReaderOptions = {}) {
    this.source = source;
    this.fileSize = source instanceof Uint8Array ? source.length : source.size;
    this.mode = options.mode ?? 'tolerate-corrupted-tail';
    this.initialOffset = options.initialOffset ?? 0;
    this.nextBlock = this.initialOffset - (this.initialOffset % BLOCK_SIZE);
  }

  /** Everything skipped so far, with reasons. */
  get dropped(): readonly DroppedBytes[] {
    return this.drops;
  }

  private readBlock(): boolean {
    if (this.nextBlock >= this.fileSize) {
      this.eof = true;
      return false;
    }
    const length = Math.min(BLOCK_SIZE, this.fileSize - this.nextBlock);
    this.block =
      this.source instanceof Uint8Array
        ? this.source.subarray(this.nextBlock, this.nextBlock + length)
        : this.source.read(this.nextBlock, length);
    this.blockStart = this.nextBlock;
    this.pos = 0;
    this.nextBlock += BLOCK_SIZE;
    if (this.block.length < BLOCK_SIZE) this.eof = this.nextBlock >= this.fileSize;
    return true;
  }

  /** Records damage; decides whether it is fatal now (strict mode) or later (when data follows). */
  private damage(offset: number, bytes: number, reason: string): void {
    const drop = { offset, bytes, reason };
    this.drops.push(drop);
    if (this.mode === 'absolute-consistency') {
      throw new VelocityError('CORRUPTION', `log damaged at offset ${offset}: ${reason}`);
    }
    if (this.mode === 'point-in-time') this.stopped = true;
    if (this.mode === 'tolerate-corrupted-tail' && this.pendingDamage === undefined)
      this.pendingDamage = drop;
  }

  /** An intact fragment arrived: earlier damage was not a torn tail. */
  private intactAfterDamage(): void {
    const d = this.pendingDamage;
    if (d !== undefined) {
      throw new VelocityError(
        'CORRUPTION',
        `log damaged at offset ${d.offset} (${d.reason}) with intact records after it`,
      );
    }
  }

  private fragmentStart = 0;
  private fragmentEnd = 0;

  /** Reads one fragment (into `fragmentOffset/Start/End`); returns its type, EOF or BAD. */
  private readFragment(): number {
    for (;;) {
      if (this.block.length - this.pos < HEADER_SIZE) {
        if (!this.eof) {
          if (!this.readBlock()) return EOF;
          continue;
        }
        const left = this.block.length - this.pos;
        if (left > 0 && this.block.subarray(this.pos).some((b) => b !== 0)) {
          this.damage(this.blockStart + this.pos, left, 'partial record header at end of file');
        }
        this.pos = this.block.length;
        return EOF;
      }
      const b = this.block;
      const p = this.pos;
      const length = b[p + 4] | (b[p + 5] << 8);
      const type = b[p + 6];
      const offset = this.blockStart + p;
      if (HEADER_SIZE + length > b.length - p) {
        const left = b.length - p;
        this.pos = b.length;
        if (this.eof && b.length < BLOCK_SIZE) {
          this.damage(offset, left, 'partial record at end of file');
          return EOF;
        }
        this.damage(offset, left, 'bad record length');
        return BAD;
      }
      if (type === FragmentType.Zero && length === 0) {
        // Zero bytes (a preallocated region or a trailer written as zeros): skip the rest of the block.
        const rest = b.subarray(p);
        this.pos = b.length;
        if (rest.some((x) => x !== 0)) {
          this.damage(offset, rest.length, 'zero-type fragment followed by data');
          return BAD;
        }
        continue;
      }
      if (!fragmentIntact(b, p, length)) {
        // If an intact fragment starts right after this one, only this fragment is damaged (its length
        // field held); otherwise the rest of the block cannot be trusted.
        const next = p + HEADER_SIZE + length;
        const resume = next + HEADER_SIZE <= b.length && nextFragmentIntact(b, next) ? next : b.length;
        this.pos = resume;
        this.damage(offset, resume - p, 'checksum mismatch');
        return BAD;
      }
      this.pos = p + HEADER_SIZE + length;
      if (offset < this.initialOffset) continue; // skip fragments before the starting offset
      this.intactAfterDamage();
      this.fragmentOffset = offset;
      this.fragmentStart = p + HEADER_SIZE;
      this.fragmentEnd = p + HEADER_SIZE + length;
      return type;
    }
  }

  /** The next whole record (the caller owns the array), or undefined at the end. */
  readRecord(): Uint8Array | undefined {
    let parts: Uint8Array[] | undefined;
    let partsBytes = 0;
    let recordOffset = 0;
    const dropPartial = (reason: string) => {
      if (parts !== undefined) this.damage(recordOffset, partsBytes, reason);
      parts = undefined;
      partsBytes = 0;
    };
    for (;;) {
      if (this.stopped) return undefined;
      const type = this.readFragment();
      if (this.stopped && type !== EOF) return undefined;
      const fragment = () => this.block.slice(this.fragmentStart, this.fragmentEnd);
      switch (type) {
        case FragmentType.Full:
          dropPartial('partial record without end');
          this.intactAfterDamage();
          if (this.stopped) return undefined;
          this.sawStart = true;
          this.lastRecordOffset = this.fragmentOffset;
          return fragment();
        case FragmentType.First:
          dropPartial('partial record without end');
          this.intactAfterDamage();
          if (this.stopped) return undefined;
          this.sawStart = true;
          parts = [fragment()];
          partsBytes = parts[0].length;
          recordOffset = this.fragmentOffset;
          break;
        case FragmentType.Middle:
        case FragmentType.Last: {
          if (parts === undefined) {
            // Resyncing after initialOffset skips the tail of a record that began earlier; anywhere else
            // a MIDDLE/LAST without FIRST is damage.
            if (this.initialOffset === 0 || this.sawStart) {
              this.damage(
                this.fragmentOffset,
                this.fragmentEnd - this.fragmentStart,
                `unexpected ${type === FragmentType.Last ? 'LAST' : 'MIDDLE'} fragment`,
              );
              this.intactAfterDamage();
            }
            if (this.stopped) return undefined;
            break;
          }
          const piece = fragment();
          parts.push(piece);
          partsBytes += piece.length;
          if (type === FragmentType.Last) {
            const out = new Uint8Array(partsBytes);
            let o = 0;
            for (const part of parts) {
              out.set(part, o);
              o += part.length;
            }
            this.lastRecordOffset = recordOffset;
            return out;
          }
          break;
        }
        case BAD:
          dropPartial('partial record before damage');
          if (this.stopped) return undefined;
          break;
        case EOF:
          // A record cut off by the end of the file is a torn write.
          if (parts !== undefined) this.damage(recordOffset, partsBytes, 'partial record at end of file');
          return undefined;
        default:
          dropPartial('partial record before unknown fragment');
          this.damage(
            this.fragmentOffset,
            this.fragmentEnd - this.fragmentStart,
            `unknown fragment type ${type}`,
          );
          if (this.stopped) return undefined;
      }
    }
  }

  /** Iterates the remaining records. */
  *[Symbol.iterator](): Iterator<Uint8Array> {
    for (let r = this.readRecord(); r !== undefined; r = this.readRecord()) yield r;
  }
}
