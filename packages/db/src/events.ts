/**
 * A tiny browser-safe event emitter for what the engine does in the background.
 * @module
 */
import { invalidArgument } from '@velocity/core';

/** Emitted after a memtable was written to a table. */
export interface FlushEvent {
  /** Number of the new table file. */
  fileNumber: number;
  /** Level it was placed in. */
  level: number;
  /** File size in bytes. */
  bytes: number;
  /** Entries written. */
  entries: number;
  /**
   * Where the table was built: `'worker'` in the compaction worker thread (the main thread only
   * copied the entries out), `'main'` in slices on the main thread. See `DBOptions.compactionThread`.
   */
  thread: 'worker' | 'main';
  /** Milliseconds from start to installed. */
  durationMs: number;
}

/** One input or output file of a compaction. */
export interface CompactionFileInfo {
  /** Level of the file. */
  level: number;
  /** Number of the table file. */
  fileNumber: number;
  /** File size in bytes. */
  bytes: number;
}

/** Emitted after a compaction was installed. */
export interface CompactionEvent {
  /** Why the strategy chose it (or `manual` for `compactRange`). */
  reason: string;
  /** True when the file was moved to another level without rewriting. */
  trivialMove: boolean;
  /**
   * Where the merge ran: `'worker'` in the compaction worker thread, `'main'` in slices on the main
   * thread (always `'main'` for a trivial move). See `DBOptions.compactionThread`.
   */
  thread: 'worker' | 'main';
  /** Files read. */
  inputs: CompactionFileInfo[];
  /** Files written (for a trivial move: the moved file at its new level). */
  outputs: CompactionFileInfo[];
  /** Key and value bytes read. */
  bytesRead: number;
  /** Bytes of output files. */
  bytesWritten: number;
  /** Entries dropped (shadowed versions and tombstones). */
  entriesDropped: number;
  /** Milliseconds from start to installed. */
  durationMs: number;
}

/** Emitted when writes wait (`stop`) or are delayed (`slowdown`). */
export interface WriteStallEvent {
  /** What the writes wait for. */
  cause: 'memtable' | 'level0-stop' | 'level0-slowdown';
  /** Files in level 0 at the time. */
  level0Files: number;
}

/** Emitted when a background error puts the database in read-only mode. */
export interface BackgroundErrorEvent {
  /** The first write-path failure, as a `VelocityError` (usually `IO_ERROR`). */
  error: Error;
}

/** Events and their payloads. */
export interface DBEvents {
  /** A memtable was written to a table. */
  flush: FlushEvent;
  /** A compaction was installed. */
  compaction: CompactionEvent;
  /** Writes wait or are delayed for background work. */
  'write-stall': WriteStallEvent;
  /** A background error made the database read-only. */
  error: BackgroundErrorEvent;
}

/** Name of an event. */
export type DBEventName = keyof DBEvents;

/** A listener of event `E`. */
export type DBEventListener<E extends DBEventName> = (event: DBEvents[E]) => void;

const EVENT_NAMES: readonly string[] = [
  'flush',
  'compaction',
  'write-stall',
  'error',
] satisfies DBEventName[];

/** Throws `INVALID_ARGUMENT` for an unknown event name or a listener that is not a function. */
function checkSubscription(name: unknown, listener: unknown): void {
  if (typeof name !== 'string' || !EVENT_NAMES.includes(name)) {
    throw invalidArgument(`unknown event ${String(name)}; events are ${EVENT_NAMES.join(', ')}`);
  }
  if (typeof listener !== 'function')
    throw invalidArgument(`listener must be a function, got ${typeof listener}`);
}

/** Listeners by event name. A listener that throws is ignored (it cannot break the engine). */
export class EventHub {
  private readonly listeners = new Map<string, Set<(event: never) => void>>();

  on<E extends DBEventName>(name: E, listener: DBEventListener<E>): void {
    checkSubscription(name, listener);
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as (event: never) => void);
  }

  off<E extends DBEventName>(name: E, listener: DBEventListener<E>): void {
    checkSubscription(name, listener);
    this.listeners.get(name)?.delete(listener as (event: never) => void);
  }

  /** True when someone listens to `name` (so the payload is worth building). */
  has(name: DBEventName): boolean {
    const set = this.listeners.get(name);
    return set !== undefined && set.size > 0;
  }

  emit<E extends DBEventName>(name: E, event: DBEvents[E]): void {
    const set = this.listeners.get(name);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as DBEventListener<E>)(event);
      } catch {
        // A listener's failure is the listener's business.
      }
    }
  }
}
