/**
 * The Node.js file system for Velocity, in its own entry point so that `@velocity/core` stays
 * browser-safe.
 * @packageDocumentation
 */
export { NodeFileSystem } from './node-file-system.js';
