/**
 * The velocity command: inspect, query, verify, repair and benchmark Velocity databases.
 * @packageDocumentation
 */
export {};
