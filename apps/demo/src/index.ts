/**
 * A short tour of Velocity used by the README's first command.
 * @packageDocumentation
 */
export { type DemoSummary, describeLevels, runDemo } from './demo.js';
