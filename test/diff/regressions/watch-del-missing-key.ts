/**
 * Regression: a multi-key DEL (or UNLINK) that names a watched key which does not exist.
 * Redis signals only the keys it really deleted, so the watcher's EXEC still runs; Tessera
 * aborted it.
 */
import type { Regression } from './types.js';

export const regression: Regression = {
  name: 'watch-del-missing-key',
  note: 'WATCH k1 (missing); another client DEL k1 k0 (k0 exists); EXEC must run (empty array), not abort',
  steps: [
    { c: 0, argv: ['WATCH', 'k1'] },
    { c: 1, argv: ['SADD', 'k0', '1'] },
    { c: 0, argv: ['MULTI'] },
    { c: 1, argv: ['DEL', 'k1', 'k0'] },
    { c: 0, argv: ['EXEC'] },
    { c: 0, argv: ['WATCH', 'k3'] },
    { c: 1, argv: ['RPUSH', 'k2', 'a'] },
    { c: 0, argv: ['MULTI'] },
    { c: 1, argv: ['UNLINK', 'k2', 'k3'] },
    { c: 0, argv: ['EXEC'] },
  ],
};
