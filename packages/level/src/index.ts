/**
 * An abstract-level adapter so Velocity plugs into the Level ecosystem.
 * @packageDocumentation
 */
export {};
