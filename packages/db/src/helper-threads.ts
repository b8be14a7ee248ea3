/**
 * Lowering the CPU priority of V8's helper threads while a database is open (Node on Linux only;
 * see `DBOptions.helperThreadPriority`). Node-only: loaded through a dynamic import, like the
 * compaction worker's support, so browser bundles never see `node:fs` or `node:os`.
 *
 * Why. The engine answers calls on the main thread, so the event loop's timeliness is the main
 * thread's share of a core. V8 compiles hot functions (TurboFan) and marks and sweeps the heap on a
 * pool of helper threads that Node starts at the same priority as the main thread. On a 2-core machine
 * a loop of awaited gets right after a load had its 1 ms timer late by ~4 ms every ~8 ms for the
 * first 60–100 ms: `perf record` of those windows showed three or four helper threads compiling
 * `getSync`, `findPoint`, `getFromLevels`… while the main thread ran a fifth of the time (a fair share
 * of two cores among five threads). Browsers run such work at background priority; Node does not, so
 * the database does it for the threads that exist only for V8. Measured (`/tmp/s5/lag2.mjs` in the
 * #16 notes, 100k awaited operations after a 100k load, alternated runs): gets p99 3.9–4.4 ms at the
 * process's priority, 0.7–1.1 ms at nice 10; puts 2.8–4.6 ms, 1.8–2.2 ms; throughput the same.
 *
 * Which threads. Node creates V8's platform (its worker threads and one delayed-task thread) before
 * anything else, so they are the first threads started after the main thread: the threads of
 * `/proc/self/task` ordered by start time (then id), skipping the main thread, first
 * `poolSize + 1` of them, where `poolSize` is `--v8-pool-size` (default 4). libuv's pool, Node's
 * inspector thread, worker threads and the host's own threads start later and are left alone.
 * Every thread chosen must still carry the main thread's name (threads inherit it, and Node names
 * none of V8's), else nothing is changed.
 *
 * While at least one handle that asked for it is open, those threads run {@link HELPER_NICE} nice
 * steps lower (at most 19); when the last one closes, each gets back the priority it had. Failures (no
 * `/proc`, a sandbox that refuses `setpriority`) change nothing: priority only tunes latency.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * How many nice steps V8's helper threads are lowered by: 10, above the compaction worker (19). Not 19: the garbage
 * collector's parallel phases make the main thread wait for these threads, and below the worker they
 * starved while a merge ran (puts during a 1M compactRange: 56–58 slower than 10 ms and a 36–49 ms
 * maximum at 19, against 33–34 and 24–28 ms at 10 and 32–33 and 21–27 ms at the process's priority).
 */
export const HELPER_NICE = 10;

/** The priorities to restore, by thread id, while the helpers are lowered. */
let lowered: Map<number, number> | undefined;
let holders = 0;

/**
 * Lowers V8's helper threads' priority for one more holder; returns the function that gives the hold
 * back (idempotent). The first holder lowers them, the last release restores them.
 */
export function holdLowHelperPriority(): () => void {
  if (holders === 0) lowered = lowerHelpers();
  holders++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    if (holders === 0 && lowered !== undefined) {
      for (const [tid, priority] of lowered) {
        try {
          setPriority(tid, priority);
        } catch {
          // The thread is gone, or the system refuses: nothing to restore.
        }
      }
      lowered = undefined;
    }
  };
}

function lowerHelpers(): Map<number, number> | undefined {
  if (process.platform !== 'linux') return undefined;
  const done = new Map<number, number>();
  try {
    const helpers = v8HelperThreads();
    for (const tid of helpers) {
      const before = getPriority(tid);
      const lowered = helperNice(before);
      if (lowered === before) continue;
      setPriority(tid, lowered);
      done.set(tid, before);
    }
  } catch {
    // Partly done is fine: what was lowered is restored at release.
  }
  return done;
}

/** The nice value a helper thread at `nice` is lowered to: {@link HELPER_NICE} steps more, at most 19. */
export function helperNice(nice: number): number {
  return Math.min(19, nice + HELPER_NICE);
}

/** The ids of V8's platform threads (see the module comment), or none when they cannot be told apart. */
export function v8HelperThreads(): number[] {
  const main = process.pid;
  const mainName = threadName(main);
  const threads: { tid: number; start: number; name: string }[] = [];
  for (const entry of readdirSync('/proc/self/task')) {
    const tid = Number(entry);
    if (!Number.isInteger(tid) || tid === main) continue;
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the parenthesised name; the 22nd field of the line (starttime) is the 20th here.
    const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    threads.push({ tid, start, name: threadName(tid) });
  }
  threads.sort((a, b) => a.start - b.start || a.tid - b.tid);
  const poolSize = v8PoolSize();
  if (poolSize === undefined) return [];
  const chosen = threads.slice(0, poolSize + 1);
  if (chosen.length < poolSize + 1 || chosen.some((t) => t.name !== mainName)) return [];
  return chosen.map((t) => t.tid);
}

function threadName(tid: number): string {
  return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
}

/**
 * `--v8-pool-size` from the command line or NODE_OPTIONS (Node's default: 4); undefined for 0, which
 * asks Node to size the pool by the cores (then the count is not known here).
 */
function v8PoolSize(): number | undefined {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  for (let i = 0; i < args.length; i++) {
    const match = /^--v8[-_]pool[-_]size(?:=(\d+))?$/.exec(args[i]);
    if (match === null) continue;
    const size = Number(match[1] ?? args[i + 1]);
    return Number.isInteger(size) && size > 0 ? size : undefined;
  }
  return 4;
}
