/**
 * Regression: COPY reads its source and writes only its destination. Redis leaves a WATCH
 * on the source intact; Tessera aborted the watcher's transaction.
 */
import type { Regression } from './types.js';

export const regression: Regression = {
  name: 'watch-copy-source',
  note: 'WATCH k1 k0; another client COPY k1 k3; EXEC must run (empty array), not abort',
  steps: [
    { c: 1, argv: ['SADD', 'k1', 'a'] },
    { c: 0, argv: ['WATCH', 'k1', 'k0'] },
    { c: 1, argv: ['COPY', 'k1', 'k3'] },
    { c: 0, argv: ['MULTI'] },
    { c: 0, argv: ['EXEC'] },
  ],
};
