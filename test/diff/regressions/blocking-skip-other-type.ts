/**
 * Regression: clients blocked on the same key for different types. When a list push
 * readies the key, Redis skips the client blocked in BZPOPMIN and serves the BLMOVE
 * behind it; Tessera stopped at the first waiter it could not serve.
 */
import type { Regression } from './types.js';

export const regression: Regression = {
  name: 'blocking-skip-other-type',
  note: 'BZPOPMIN k0 (client 2) then BLMOVE k0 k0 (client 1); LPUSH k0 0 must serve BLMOVE',
  steps: [
    { c: 2, argv: ['BZPOPMIN', 'k0', '0.5'], bg: true },
    { c: 1, argv: ['BLMOVE', 'k0', 'k0', 'RIGHT', 'LEFT', '0.5'], bg: true },
    { c: 0, argv: ['LPUSH', 'k0', '0'] },
  ],
};
