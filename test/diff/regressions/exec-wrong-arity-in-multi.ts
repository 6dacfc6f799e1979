/**
 * Regression: EXEC with extra arguments inside MULTI. Redis 7.0 rejects it for arity and,
 * because the command is EXEC, discards the whole transaction with an EXECABORT error
 * (so the client is no longer in MULTI afterwards). Tessera answered a plain arity error.
 */
import type { Regression } from './types.js';

export const regression: Regression = {
  name: 'exec-wrong-arity-in-multi',
  note: "MULTI; EXEC x must reply EXECABORT ... wrong number of arguments for 'exec' command and leave MULTI",
  steps: [
    { c: 0, argv: ['MULTI'] },
    { c: 0, argv: ['SET', 'k0', 'v'] },
    { c: 0, argv: ['EXEC', 'x'] },
    { c: 0, argv: ['GET', 'k0'] },
    { c: 0, argv: ['EXEC'] },
  ],
};
