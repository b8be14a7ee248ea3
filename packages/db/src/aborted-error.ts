/**
 * The error background work throws when it stops because the database is closing or failed.
 * @module
 */
import { VelocityError } from '@velocity/core';

/** Thrown inside background work that stopped because the database is closing. */
export class AbortedError extends VelocityError {
  constructor() {
    super('CLOSED', 'background work stopped: the database is closing');
  }
}
