/**
 * Velocity: an embedded LSM-tree key-value database in pure TypeScript.
 * @packageDocumentation
 */
export {};
