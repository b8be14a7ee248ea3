import { AbstractSnapshot } from 'abstract-level';
import type { Snapshot } from '@velocity/db';

/** An abstract-level explicit snapshot backed by a Velocity snapshot. */
export class VelocityLevelSnapshot extends AbstractSnapshot {
  /** The Velocity snapshot that reads use. */
  readonly inner: Snapshot;

  constructor(inner: Snapshot, options: object) {
    // biome-ignore lint/suspicious/noExplicitAny: the published typings omit the constructor's options.
    super(...([options] as unknown as []));
    this.inner = inner;
  }

  /** Releases the Velocity snapshot (abstract-level calls this once no read uses it any more). */
  async _close(): Promise<void> {
    this.inner.release();
  }
}
