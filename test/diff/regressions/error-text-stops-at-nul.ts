/**
 * Regression: an error that quotes a client argument containing a NUL byte. Redis formats
 * the message as a C string, so the quoted argument ends at the NUL
 * ("ERR Unsupported option " for "\x00"). Tessera sent the NUL and what followed it.
 */
import type { Regression } from './types.js';

export const regression: Regression = {
  name: 'error-text-stops-at-nul',
  note: 'PEXPIREAT key ts "\\x00" must reply "ERR Unsupported option " (text cut at the NUL)',
  steps: [
    { c: 0, argv: ['SET', 'k3', 'v'] },
    { c: 0, argv: ['PEXPIREAT', 'k3', { at: 'ms', d: 7000000 }, '\x00'] },
    { c: 0, argv: ['EXPIRE', 'k3', '100', 'a\x00b'] },
  ],
};
