/**
 * Regression: WATCH on a key whose TTL had already passed. Redis remembers that the key
 * was expired at WATCH time and does not abort EXEC for it (or for its later deletion by
 * expiry); Tessera aborted with a nil array.
 */
import type { Regression } from './types.js';

export const regression: Regression = {
  name: 'watch-already-expired-key',
  note: 'SET k0 v PXAT 1; WATCH k0; MULTI; EXEC must run (empty array)',
  steps: [
    { c: 0, argv: ['SET', 'k0', 'v', 'PXAT', '1'] },
    { c: 0, argv: ['WATCH', 'k0'] },
    { c: 0, argv: ['MULTI'] },
    { c: 0, argv: ['EXEC'] },
    { c: 0, argv: ['SET', 'k1', 'v', 'PXAT', '1'] },
    { c: 0, argv: ['WATCH', 'k1'] },
    { c: 1, argv: ['GET', 'k1'] },
    { c: 0, argv: ['MULTI'] },
    { c: 0, argv: ['EXEC'] },
  ],
};
