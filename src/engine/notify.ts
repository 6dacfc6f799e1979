/**
 * notify-keyspace-events flag parsing and the pub/sub port notifications publish to.
 * Imports: nothing outside engine.
 */
import type { Session } from './session.js';

const BITS: Record<string, number> = {
  K: 1 << 0, E: 1 << 1, g: 1 << 2, $: 1 << 3, l: 1 << 4, s: 1 << 5, h: 1 << 6, z: 1 << 7,
  x: 1 << 8, e: 1 << 9, t: 1 << 10, m: 1 << 11, d: 1 << 13, n: 1 << 14,
};
// Same bit values as Redis (and as config's numeric view of notify-keyspace-events).
/** 'A' is an alias for "g$lshzxetd" (not m, not n). */
const ALL = BITS.g! | BITS.$! | BITS.l! | BITS.s! | BITS.h! | BITS.z! | BITS.x! | BITS.e! | BITS.t! | BITS.d!;

export function notifyFlags(s: string): number {
  let m = 0;
  for (const ch of s) {
    if (ch === 'A') m |= ALL;
    else m |= BITS[ch] ?? 0;
  }
  return m;
}

export interface PubSubPort {
  /** Delivers a message; returns the number of receivers. */
  publish(channel: string, message: string): number;
  removeClient(s: Session): void;
}
