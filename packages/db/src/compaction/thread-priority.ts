/**
 * The compaction worker's CPU priority. On Linux the worker lowers its own thread's scheduling
 * priority (nice value +{@link LOW_PRIORITY_NICE}), as RocksDB lowers its compaction pool's
 * (`Env::LowerThreadPoolCPUPriority`): the main thread, V8's garbage-collector helpers and libuv's
 * threads then get the CPU first whenever the cores are contended, and the merge takes what is left.
 *
 * Why: on a 2-core machine during an awaited 1M-entry fill, the main thread's 138-byte log appends
 * (normally 1 µs) took over 1 ms 43–63 times per run (114–188 ms in all, up to 10.7 ms each), and
 * scavenges waited for their helper threads, while the worker merged at full speed beside them.
 * With the worker at nice 10: 13–17 such appends (28–48 ms), and the fill itself was no slower
 * (three alternated runs each, `/tmp/s2/wlat.mjs` in the session notes of #16).
 *
 * Why 19, the lowest: V8's helper threads run 10 steps lower too while a database is open (see
 * `helper-threads.ts`), and the main thread's garbage collections wait for them in their parallel
 * phases. With the worker at the helpers' level (nice 10) the two shared the second core evenly, and
 * during a full `compactRange` of 1M entries the main thread's scavenges took 6–17 ms instead of ~1
 * and its mark-compact pauses 5–12 ms: awaited puts beside it had a maximum of 11.0–32.6 ms and 21–49
 * puts over 5 ms per run. At nice 19, below the helpers: 7.9–13.9 ms and 13–20, with the compaction no
 * slower (26–32 s against 27–33 s; five alternated pairs, `/tmp/s6/plc.mjs` in the #16 notes).
 *
 * Why from the start: a thread inherits its creator's priority, so until the worker's script ran
 * {@link lowerThreadPriority}, Node's bootstrap of the new thread (tens of milliseconds of CPU:
 * loading modules, compiling them) ran at the main thread's priority, beside it on the two cores.
 * The start of a full `compactRange` after an idle stop was then the slowest moment of awaited puts
 * beside it: 10–24 ms in most runs, with the main thread off the CPU for 4–8 ms at a time right after
 * `new Worker()`. The main thread therefore lowers the new thread as soon as it exists
 * ({@link lowerThreadsStartedSince}); measured on puts beside a full 1M `compactRange`, the maximum
 * was 6.6–9.3 ms in seven runs against 8.3–19.4 ms in six alternated runs without (`/tmp/s7/ab.sh`
 * in the #16 notes).
 *
 * Elsewhere nothing changes: macOS and Windows have no per-thread nice value that Node can set
 * (`os.setPriority` there changes the whole process), so the worker keeps the process's priority.
 * @module
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much the worker raises its nice value (lower priority) on Linux; 19 is the lowest priority. */
export const LOW_PRIORITY_NICE = 19;

/**
 * Lowers the calling thread's priority by `increment` nice steps (Linux only; never the main
 * thread, whose id is the process's). Returns whether it did; any failure leaves the priority as it
 * was, since the priority only tunes speed.
 */
export function lowerThreadPriority(increment: number = LOW_PRIORITY_NICE): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // `/proc/thread-self` links to `<pid>/task/<tid>`: the kernel's id of this thread.
    return lowerThread(Number(readlinkSync('/proc/thread-self').split('/').pop()), increment);
  } catch {
    return false;
  }
}

/** Lowers thread `tid` (never the main thread) by `increment` nice steps, at most to 19; whether it did. */
function lowerThread(tid: number, increment: number): boolean {
  if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return false;
  try {
    setPriority(tid, Math.min(19, getPriority(tid) + increment));
    return true;
  } catch {
    return false;
  }
}

/** The kernel ids of this process's threads now (Linux; empty elsewhere or when `/proc` is missing). */
export function threadIds(): Set<string> {
  if (process.platform !== 'linux') return new Set();
  try {
    return new Set(readdirSync('/proc/self/task'));
  } catch {
    return new Set();
  }
}

/**
 * Lowers by `increment` nice steps the one thread that was started since `before` was taken with
 * {@link threadIds} (the worker thread just created). Does nothing when not exactly one new thread
 * appeared (another thread of the host may have started one meanwhile, and that one is not ours to
 * slow down), off Linux, or when the system refuses. Returns whether it lowered one.
 */
export function lowerThreadsStartedSince(
  before: ReadonlySet<string>,
  increment: number = LOW_PRIORITY_NICE,
): boolean {
  if (process.platform !== 'linux' || before.size === 0) return false;
  const fresh = [...threadIds()].filter((tid) => !before.has(tid));
  if (fresh.length !== 1) return false;
  return lowerThread(Number(fresh[0]), increment);
}
