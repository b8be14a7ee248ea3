/**
 * Progress reporting for long commands: a bar redrawn in place on a terminal, plain lines otherwise
 * (so logs and CI output stay readable).
 * @module
 */

/** Reports progress of a job counted in items, optionally against a known total. */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly started = performance.now();

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 1000,
  ) {}

  /** Adds `n` finished items and redraws when due. */
  advance(n = 1): void {
    this.done += n;
    const now = performance.now();
    const interval = this.stream.isTTY ? 100 : this.intervalMs;
    if (now - this.lastDraw >= interval) {
      this.lastDraw = now;
      this.draw(false);
    }
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    this.draw(true);
  }

  private rate(): string {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? `${Math.round(this.done / seconds).toLocaleString('en-US')}/s` : '';
  }

  private draw(final: boolean): void {
    const count = this.total === undefined ? `${this.done}` : `${this.done}/${this.total}`;
    if (!this.stream.isTTY) {
      this.stream.write(`${this.label}: ${count} (${this.rate()})${final ? ' done' : ''}\n`);
      return;
    }
    let bar = '';
    if (this.total !== undefined && this.total > 0) {
      const width = 30;
      const filled = Math.min(width, Math.round((this.done / this.total) * width));
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] `;
    }
    this.stream.write(`\r${this.label} ${bar}${count} ${this.rate()}${final ? '\n' : ''}`);
  }
}
