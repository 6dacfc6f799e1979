/**
 * Regression: EXEC with extra arguments outside MULTI. Redis rejects any EXEC through
 * execCommandAbort, so it answers EXECABORT even without a transaction; Tessera answered
 * a plain arity error.
 */
import type { Regression } from './types.js';

export const regression: Regression = {
  name: 'exec-arity-outside-multi',
  note: "EXEC x outside MULTI must reply EXECABORT ... wrong number of arguments for 'exec' command",
  steps: [
    { c: 0, argv: ['EXEC', 'x'] },
    { c: 0, argv: ['EXEC'] },
  ],
};
