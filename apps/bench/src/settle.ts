/**
 * What a worker does between benchmarks, untimed: write dirty pages out, wait for the engine's
 * background work, and count the bytes the process writes meanwhile.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Bytes this process caused to be written to storage (counted when pages are dirtied); -1 if unknown. */
export function osWriteBytes(): number {
  try {
    const match = /^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : -1;
  } catch {
    return -1;
  }
}

/**
 * Writes the operating system's dirty pages out (`sync`), untimed, so a benchmark does not pay for the
 * previous one's writes (the first fsync after a bulk load would otherwise flush all of it).
 */
export function settleStorage(): void {
  try {
    execFileSync('sync', { stdio: 'ignore' });
  } catch {
    // No `sync` command here: the benchmarks still run, less isolated.
  }
}

/** How long {@link settle} waited. */
export interface Settled {
  /** Milliseconds waited in all, the final quiet window included. */
  waitedMs: number;
  /** Milliseconds until the quiet window began: the time the engine still needed (0: none). */
  busyMs: number;
  /** True when `maxMs` ran out before the process became quiet. */
  timedOut: boolean;
}

/** Length of the window in which the process must stay quiet. */
const QUIET_WINDOW_MS = 200;

/**
 * Lets the engine finish the background work earlier writes left (flushes, compactions), untimed:
 * keeps the event loop turning (Velocity flushes in its turns and merges in a worker thread; LevelDB
 * works in its own thread) until the whole process used under 10% of a core over 200 ms and, when
 * `owesWork` is given, it says the engine owes no compaction any more; or until `maxMs` passed.
 *
 * The second condition is there because a quiet process is not always a settled engine: on a machine
 * whose disk is busy with other work, a compaction can spend seconds waiting in `fsync` with its
 * thread idle (seen here: 10 level-0 files left and 5 s without progress, after a quiet 200 ms had
 * ended the wait), and the next benchmark then measured reads of an unsettled tree.
 */
export async function settle(maxMs: number, owesWork?: () => boolean): Promise<Settled> {
  const started = performance.now();
  for (;;) {
    const cpu = process.cpuUsage();
    const from = performance.now();
    while (performance.now() - from < QUIET_WINDOW_MS) await new Promise((resolve) => setTimeout(resolve, 1));
    const used = process.cpuUsage(cpu);
    const busy = (used.user + used.system) / 1000 / (performance.now() - from);
    const now = performance.now();
    if (busy < 0.1 && owesWork?.() !== true)
      return { waitedMs: now - started, busyMs: from - started, timedOut: false };
    if (now - started > maxMs) return { waitedMs: now - started, busyMs: now - started, timedOut: true };
  }
}
