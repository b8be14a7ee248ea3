/**
 * The few Origin Private File System and Web Locks types this package uses, declared here so the
 * package compiles against `lib.dom` alone (the sync access handle is typed only in `lib.webworker`,
 * which cannot be combined with `lib.dom`).
 * @module
 */

/** `FileSystemSyncAccessHandle`: synchronous I/O on one OPFS file, available in dedicated workers. */
export interface SyncAccessHandle {
  read(buffer: Uint8Array, options?: { at?: number }): number;
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(newSize: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

/** `FileSystemFileHandle`, with the worker-only `createSyncAccessHandle`. */
export interface OpfsFileHandle {
  readonly kind: 'file';
  readonly name: string;
  /**
   * `mode: 'readwrite-unsafe'` (Chromium 121+) lets several handles on one file be open at once;
   * the default `'readwrite'` handle is exclusive.
   */
  createSyncAccessHandle(options?: { mode?: 'readwrite' | 'readwrite-unsafe' }): Promise<SyncAccessHandle>;
}

/** `FileSystemDirectoryHandle`, the parts used here. */
export interface OpfsDirectoryHandle {
  readonly kind: 'directory';
  readonly name: string;
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<OpfsDirectoryHandle>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<OpfsFileHandle>;
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
  keys(): AsyncIterable<string>;
}

/** The root of the origin's private file system (`navigator.storage.getDirectory()`). */
export async function opfsRoot(): Promise<OpfsDirectoryHandle> {
  const storage = (globalThis as { navigator?: { storage?: { getDirectory?: () => Promise<unknown> } } })
    .navigator?.storage;
  if (typeof storage?.getDirectory !== 'function') throw new Error('navigator.storage.getDirectory missing');
  return (await storage.getDirectory()) as OpfsDirectoryHandle;
}

/** Opens (creating each missing segment) the directory at a `/`-separated path below `root`. */
export async function opfsDirectory(root: OpfsDirectoryHandle, path: string): Promise<OpfsDirectoryHandle> {
  let dir = root;
  for (const part of path.split('/'))
    if (part !== '') dir = await dir.getDirectoryHandle(part, { create: true });
  return dir;
}
