/**
 * Where `openBrowserDB` keeps a database in the origin's private file system.
 * @module
 */

/** The OPFS directory that holds one pool directory per database. */
export const POOL_ROOT = 'velocity';

/** The pool directory's name for database `name` (any string: it is URI-encoded). */
export function poolName(name: string): string {
  return encodeURIComponent(name);
}
