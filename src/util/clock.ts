/**
 * The injectable clock. Everything that reads time goes through a Clock so tests can
 * run many nodes in one process and still control time where they need to.
 * Imports nothing from src.
 */
export interface Clock {
  /** Unix time in ms. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
