/**
 * Differential tester, the shape of a named regression case: a (shrunk) command sequence
 * that once made Tessera diverge from Redis 7.0.15 and must now agree. Each case lives in
 * its own file in this folder exporting `regression`; diff.test.ts runs every one of them.
 * Imports only gen.ts types.
 */
import type { Step } from '../gen.js';

export interface Regression {
  /** Short kebab-case name, also the file name. */
  name: string;
  /** What diverged and what Redis does, in a sentence or two. */
  note: string;
  /** RESP version the clients speak (default 2). */
  resp?: 2 | 3;
  steps: Step[];
}
