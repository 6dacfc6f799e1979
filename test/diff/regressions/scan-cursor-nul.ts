/**
 * Regression: a SCAN-family cursor holding a NUL byte. Redis parses it with strtoul on a
 * C string, so "\x00" is cursor 0. Tessera answered "ERR invalid cursor".
 */
import type { Regression } from './types.js';

export const regression: Regression = {
  name: 'scan-cursor-nul',
  note: 'HSCAN key "\\x00" must start an iteration (cursor 0)',
  steps: [
    { c: 0, argv: ['HSET', 'k0', 'a', '1'] },
    { c: 0, argv: ['HSCAN', 'k0', '\x00'] },
    { c: 0, argv: ['SSCAN', 'k1', '\x00'] },
  ],
};
