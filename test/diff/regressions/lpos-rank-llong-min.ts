/**
 * Regression: LPOS with RANK -9223372036854775808. Redis negates the rank as a C long,
 * which wraps to itself, so the first match from the tail qualifies and COUNT never stops
 * the scan. Tessera negated it exactly and found no match.
 */
import type { Regression } from './types.js';

export const regression: Regression = {
  name: 'lpos-rank-llong-min',
  note: 'LPOS key ele RANK -9223372036854775808 must behave like Redis\'s wrapped negation',
  steps: [
    { c: 0, argv: ['LPUSH', 'k4', 'd', '0', 'd'] },
    { c: 0, argv: ['LPOS', 'k4', 'd', 'RANK', '-9223372036854775808'] },
    { c: 0, argv: ['LPOS', 'k4', 'd', 'RANK', '-9223372036854775808', 'COUNT', '1'] },
  ],
};
