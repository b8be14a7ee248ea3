import { AbstractSnapshot } from 'abstract-level';
import type { Snapshot } from '@velocity/db';
import { LevelError } from './errors.js';

/** An abstract-level explicit snapshot backed by a Velocity snapshot. */
export class VelocityLevelSnapshot extends AbstractSnapshot {
  /** The Velocity snapshot that reads use. */
  readonly inner: Snapshot;

  constructor(inner: Snapshot, options: object) {
    // The published typings omit the constructor's options.
    super(...([options] as unknown as []));
    this.inner = inner;
  }

  /** The Velocity snapshot for a read; throws `LEVEL_SNAPSHOT_NOT_OPEN` once it was released. */
  forRead(): Snapshot {
    if (this.inner.isReleased) throw new LevelError('LEVEL_SNAPSHOT_NOT_OPEN', 'Snapshot is not open');
    return this.inner;
  }

  /** Releases the Velocity snapshot (abstract-level calls this once no read uses it any more). */
  async _close(): Promise<void> {
    this.inner.release();
  }
}
