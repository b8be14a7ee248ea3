/**
 * Progress reporting for long commands: a bar redrawn in place on a terminal, plain lines otherwise
 * (so logs and CI output stay readable). With the input's size known, it shows the percentage, the
 * rate and the time left; without, a count and a rate.
 * @module
 */

/** Where a job stands: records done, input bytes consumed of `totalBytes`, seconds since it started. */
export interface ProgressState {
  records: number;
  bytes: number;
  totalBytes: number | undefined;
  seconds: number;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The fraction done (0 to 1), or undefined when the total is unknown. */
export function fractionDone(state: ProgressState): number | undefined {
  if (state.totalBytes === undefined || state.totalBytes <= 0) return undefined;
  return Math.min(1, state.bytes / state.totalBytes);
}

/** The status text: `42% 12,345 records, 50,000 records/s, 3.1 MiB/s, ETA 3 s` (parts as known). */
export function progressText(state: ProgressState): string {
  const parts: string[] = [];
  const fraction = fractionDone(state);
  const records = `${count(state.records)} records`;
  parts.push(fraction === undefined ? records : `${Math.floor(fraction * 100)}% ${records}`);
  if (state.seconds > 0) {
    parts.push(`${count(state.records / state.seconds)} records/s`);
    if (state.bytes > 0) parts.push(`${(state.bytes / state.seconds / 1048576).toFixed(1)} MiB/s`);
    if (fraction !== undefined && fraction < 1 && state.bytes > 0) {
      const left = ((state.totalBytes ?? 0) - state.bytes) / (state.bytes / state.seconds);
      parts.push(`ETA ${duration(left)}`);
    }
  }
  return parts.join(', ');
}

/** A bar of `width` cells for `fraction` (0 to 1): `[#########.....................]`. */
export function progressBar(fraction: number, width = 30): string {
  const filled = Math.min(width, Math.max(0, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Reports a job's progress to a stream: redrawn in place on a terminal, a line per interval otherwise. */
export class Progress {
  private records = 0;
  private bytes = 0;
  private lastDraw: number;
  private readonly started: number;

  constructor(
    private readonly label: string,
    private readonly totalBytes: number | undefined,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.lastDraw = this.started; // the first line after one interval: short jobs print only the last
  }

  /** Sets how many records are done and how many input bytes were consumed; redraws when due. */
  update(records: number, bytes = this.bytes): void {
    this.records = records;
    this.bytes = bytes;
    const now = this.now();
    if (now - this.lastDraw >= (this.stream.isTTY ? 100 : this.intervalMs)) {
      this.lastDraw = now;
      this.draw(false);
    }
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    this.draw(true);
  }

  private state(): ProgressState {
    const seconds = (this.now() - this.started) / 1000;
    return { records: this.records, bytes: this.bytes, totalBytes: this.totalBytes, seconds };
  }

  private draw(final: boolean): void {
    const state = this.state();
    const text = progressText(state);
    if (!this.stream.isTTY) {
      this.stream.write(`${this.label}: ${text}${final ? ' (done)' : ''}\n`);
      return;
    }
    const fraction = fractionDone(state);
    const bar = fraction === undefined ? '' : `${progressBar(fraction)} `;
    this.stream.write(`\r${this.label} ${bar}${text}\u001b[K${final ? '\n' : ''}`);
  }
}
