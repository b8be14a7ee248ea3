/**
 * An exclusive Web Lock held until released: one writer per database across every tab and worker of
 * the origin. The browser releases it by itself when the holder's tab or worker goes away.
 * @module
 */

/** A held Web Lock. */
export interface HeldWebLock {
  /** Releases the lock. Safe to call twice. */
  release(): void;
}

interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: unknown) => Promise<void> | undefined,
  ): Promise<unknown>;
}

/** Takes the lock `name` if nobody holds it; resolves `undefined` when it is held elsewhere. */
export function tryWebLock(name: string): Promise<HeldWebLock | undefined> {
  const locks = (globalThis as unknown as { navigator: { locks: LockManagerLike } }).navigator.locks;
  return new Promise((resolve, reject) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (lock === null) {
          resolve(undefined);
          return undefined;
        }
        return new Promise<void>((release) => resolve({ release: () => release() }));
      })
      .catch(reject);
  });
}
