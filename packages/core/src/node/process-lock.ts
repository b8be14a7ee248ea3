/**
 * An exclusive lock between handles and processes without `flock`, which Node's core lacks.
 *
 * Mechanism:
 * 1. In this process, a registry of held lock paths keeps a second handle out.
 * 2. Across processes, the lock is a file holding `{"pid", "start"}` of its holder. It is created
 *    atomically: the content is written to a private temporary file which is then hard-linked to the
 *    lock's name; `link` fails with EEXIST if the lock file exists, so exactly one process wins.
 * 3. A lock file whose holder is gone is stale: the pid no longer exists (`kill(pid, 0)` fails with
 *    ESRCH), or (on Linux) a process with that pid exists but started at a different time than the
 *    holder did (the pid was reused). A stale lock is renamed aside atomically (so of two processes
 *    taking it over, only one succeeds), checked to be the one judged stale, and the lock is retried.
 *    So a holder killed with SIGKILL never blocks a reopen.
 *
 * Limits: the lock is advisory (it binds Velocity, not other programs) and relies on atomic `link` and
 * `rename`, which local file systems provide; on network file systems shared between machines a pid
 * means nothing on the other machine, so do not share a database directory across hosts.
 * @module
 */
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { VelocityError } from '../errors.js';
import type { FileLock } from '../fs/file-system.js';
import { nodeCall } from './errors.js';

const held = new Set<string>();

interface LockOwner {
  pid: number;
  start: string;
}

/** The start time of process `pid` from /proc (Linux), or '' where unavailable. */
function processStart(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(path, 'utf8')) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isStale(owner: LockOwner | undefined): boolean {
  if (owner === undefined) return true; // unreadable or legacy content: nobody we can check holds it
  if (owner.pid === process.pid) return false;
  if (!processAlive(owner.pid)) return true;
  return owner.start !== '' && processStart(owner.pid) !== '' && processStart(owner.pid) !== owner.start;
}

/** Takes the lock at `path` (see the module doc); throws `LOCKED` when a live holder has it. */
export function acquireProcessLock(path: string): FileLock {
  let key = path;
  try {
    key = join(fs.realpathSync(dirname(path)), basename(path));
  } catch {
    // A missing directory fails below with a clear error.
  }
  if (held.has(key)) {
    throw new VelocityError('LOCKED', `lock is held in this process: ${path}`, { path });
  }
  const me: LockOwner = { pid: process.pid, start: processStart(process.pid) };
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  nodeCall('write', temp, () => fs.writeFileSync(temp, JSON.stringify(me)));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.linkSync(temp, path);
        held.add(key);
        let released = false;
        return {
          path,
          release: () => {
            if (released) return;
            released = true;
            held.delete(key);
            const owner = readOwner(path);
            if (owner?.pid === process.pid) nodeCall('unlink', path, () => fs.unlinkSync(path));
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(path);
      if (!isStale(owner)) {
        throw new VelocityError('LOCKED', `locked by process ${owner?.pid}: ${path}`, { path });
      }
      // Move the stale lock aside; if it changed meanwhile (someone else took over), put it back.
      const aside = `${path}.stale.${process.pid}`;
      try {
        fs.renameSync(path, aside);
      } catch {
        continue;
      }
      const moved = readOwner(aside);
      if (moved?.pid !== owner?.pid || moved?.start !== owner?.start) {
        try {
          fs.linkSync(aside, path);
        } catch {
          // Whoever holds the name now keeps it.
        }
      }
      fs.rmSync(aside, { force: true });
    }
    throw new VelocityError('LOCKED', `could not take the lock: ${path}`, { path });
  } catch (error) {
    if (error instanceof VelocityError) throw error;
    throw nodeCall('lock', path, () => {
      throw error;
    });
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
