/**
 * An `abstract-level` adapter so Velocity plugs into the Level ecosystem: switch from `classic-level`
 * by changing one import.
 * @packageDocumentation
 */
export { LevelError, toLevelError } from './errors.js';
export { type VelocityLevelOptions, VelocityLevel } from './velocity-level.js';
export { VelocityLevelIterator } from './iterator.js';
export { VelocityLevelSnapshot } from './snapshot.js';
