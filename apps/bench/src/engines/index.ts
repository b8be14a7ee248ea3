import type { Engine } from './engine.js';
import { classicLevelEngine, memoryLevelEngine } from './level-family.js';
import { lmdbEngine } from './lmdb.js';
import { sqliteEngine } from './sqlite.js';
import { velocityEngine } from './velocity.js';

export type { Engine, EngineHandle, Pair, ScanOptions, Seeker } from './engine.js';

/** Every engine the suite knows, Velocity first. */
export const ENGINES: readonly Engine[] = [
  velocityEngine,
  classicLevelEngine,
  lmdbEngine,
  sqliteEngine,
  memoryLevelEngine,
];
