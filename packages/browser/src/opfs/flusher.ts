/**
 * `flush()` (the fsync of OPFS) off the database worker's thread: a helper worker holds second sync
 * access handles on the pool's slot files, opened with `mode: 'readwrite-unsafe'` (as are the pool's
 * own, so that two handles may be open at once; the pool's Web Lock still keeps other tabs out), and
 * flushes a slot when asked. A flush of any handle makes the whole file durable, so once the helper's
 * `flush()` returned, every byte written through the pool's handle before the request is durable:
 * {@link Flusher.flush} resolves only then. Where the helper cannot start or open a handle (an older
 * browser without the `mode` option, a content security policy without `blob:` workers), flushes fall
 * back to the pool's own handle on the calling thread, so the guarantee stays the same.
 * @module
 */
import { fromDomError } from './dom-errors.js';

/** A slot as the flusher sees it: its file's name in the pool directory, and the flush on this thread. */
export interface FlushTarget {
  /** The slot file's name in the pool directory. */
  readonly name: string;
  /** Flushes through the pool's own handle, on this thread. */
  flush(): void;
}

/** A request to the helper: the pool directory once, then slot files to flush. */
type ToHelper = { directory: string[] } | { id: number; name: string };

/** The helper's answer to request `id`: done, failed, or unable (no handle: flush elsewhere). */
interface FromHelper {
  id: number;
  error?: { name: string; message: string };
  unable?: boolean;
}

/**
 * The helper worker's whole program, started from a `blob:` URL so that it needs no file of its own in
 * the application's bundle. Plain JavaScript in a string, so that no bundler transform (helpers for
 * `async`, kept names) can make it refer to anything outside itself. Messages: {@link ToHelper};
 * answers: {@link FromHelper}.
 */
const HELPER_SOURCE = `
let directory;
const handles = new Map();
const open = (name) =>
  directory
    .then((dir) => dir.getFileHandle(name))
    .then((file) => file.createSyncAccessHandle({ mode: 'readwrite-unsafe' }));
self.onmessage = ({ data }) => {
  if (data.directory !== undefined) {
    directory = data.directory.reduce(
      (dir, part) => dir.then((d) => d.getDirectoryHandle(part)),
      navigator.storage.getDirectory(),
    );
    return;
  }
  let handle = handles.get(data.name);
  if (handle === undefined) {
    handle = open(data.name);
    handles.set(data.name, handle);
  }
  handle.then(
    (opened) => {
      try {
        opened.flush();
        self.postMessage({ id: data.id });
      } catch (error) {
        self.postMessage({ id: data.id, error: { name: String(error && error.name), message: String(error && error.message) } });
      }
    },
    () => {
      handles.delete(data.name);
      self.postMessage({ id: data.id, unable: true });
    },
  );
};
`;

/** The worker constructor, where the global scope has one. */
type WorkerLike = {
  postMessage(message: ToHelper): void;
  terminate(): void;
  onmessage: ((event: { data: FromHelper }) => void) | null;
  onerror: ((event: unknown) => void) | null;
};

/** Flushes slots in a helper worker (see the module comment). */
export class Flusher {
  private readonly pending = new Map<
    number,
    { target: FlushTarget; path: string; resolve: () => void; reject: (error: unknown) => void }
  >();
  private nextId = 1;
  /** Flushes the helper made, and flushes that ran on this thread instead. */
  readonly counts = { helper: 0, here: 0 };
  /** False once the helper failed to start: flushes run on this thread from then on. */
  private working = true;
  private closed = false;

  private constructor(private readonly worker: WorkerLike) {
    worker.onmessage = ({ data }) => this.answered(data);
    worker.onerror = () => {
      this.working = false;
      for (const id of [...this.pending.keys()]) this.answered({ id, unable: true });
    };
  }

  /**
   * Starts a helper for the pool in `directory` (a `/`-separated path below the OPFS root), or
   * returns undefined where workers cannot be started from here.
   */
  static start(directory: string): Flusher | undefined {
    const Ctor = (globalThis as { Worker?: new (url: string) => WorkerLike }).Worker;
    const blobs = (globalThis as { URL?: { createObjectURL?(blob: Blob): string } }).URL;
    if (Ctor === undefined || typeof Blob === 'undefined' || blobs?.createObjectURL === undefined) {
      return undefined;
    }
    let worker: WorkerLike;
    try {
      const url = blobs.createObjectURL(new Blob([HELPER_SOURCE], { type: 'text/javascript' }));
      worker = new Ctor(url);
    } catch {
      return undefined;
    }
    worker.postMessage({ directory: directory.split('/').filter((part) => part !== '') });
    return new Flusher(worker);
  }

  /**
   * Resolves once `target`'s file is durable up to every byte written to it before this call (or
   * rejects with the flush's error, as `target.flush()` would throw it; `path` names the logical file
   * in errors).
   */
  flush(target: FlushTarget, path: string): Promise<void> {
    if (!this.working || this.closed) {
      this.counts.here++;
      try {
        target.flush();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { target, path, resolve, reject });
      this.worker.postMessage({ id, name: target.name });
    });
  }

  private answered(reply: FromHelper): void {
    const request = this.pending.get(reply.id);
    if (request === undefined) return;
    this.pending.delete(reply.id);
    if (reply.unable) {
      // No second handle: flush through the pool's own, here.
      this.counts.here++;
      try {
        request.target.flush();
        request.resolve();
      } catch (error) {
        request.reject(error);
      }
    } else if (reply.error !== undefined) {
      request.reject(fromDomError(reply.error, request.path));
    } else {
      this.counts.helper++;
      request.resolve();
    }
  }

  /**
   * Stops the helper. Flushes still waiting for it run on this thread first (call this before the
   * pool's handles close).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    for (const id of [...this.pending.keys()]) this.answered({ id, unable: true });
  }
}
