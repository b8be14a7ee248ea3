/**
 * Standard output for commands that print many lines, and what happens when its reader goes away:
 * `velocity scan DB | head -2` closes the pipe after two lines, the next write fails with `EPIPE`, and
 * the command stops quietly with exit code 0, as Unix tools do.
 * @module
 */

/** Thrown once the reader of standard output has gone: the command stops and exits with code 0. */
export class OutputClosed extends Error {
  constructor() {
    super('standard output was closed by its reader');
    this.name = 'OutputClosed';
  }
}

/** True for the error a write to a pipe with no reader raises. */
export function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE' || error instanceof OutputClosed;
}

/**
 * Lines to a stream, stopping once the reader is gone. A failed write is reported asynchronously, so
 * loops call {@link LineOutput.pace} now and then: it lets that report arrive and throws
 * {@link OutputClosed} once it has.
 */
export class LineOutput {
  private closed = false;
  private sincePause = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly linesPerPause = 256,
  ) {
    stream.on('error', (error) => {
      if (!isClosedPipe(error)) throw error;
      this.closed = true;
    });
  }

  /** Writes one line; throws {@link OutputClosed} if the reader has gone. */
  line(text: string): void {
    if (this.closed) throw new OutputClosed();
    this.stream.write(`${text}\n`);
  }

  /** Every `linesPerPause` calls, yields to the event loop; throws {@link OutputClosed} once closed. */
  async pace(): Promise<void> {
    if (++this.sincePause >= this.linesPerPause) {
      this.sincePause = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.closed) throw new OutputClosed();
  }
}
