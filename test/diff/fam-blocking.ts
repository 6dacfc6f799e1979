/**
 * Differential tester, blocking family generator: BLPOP/BRPOP/BLMOVE/BRPOPLPUSH/BLMPOP and
 * BZPOPMIN/BZPOPMAX/BZMPOP. Two kinds of step:
 *  - background (`bg`) blocks on clients 1 and 2 with a 30 s timeout: the runner sends
 *    them, waits until each server has either answered or counts one more blocked client,
 *    and collects the reply later, so client 0's pushes (and moves that feed other blocked
 *    clients) really wake them, in the servers' own serving order;
 *  - foreground blocks on client 0 with 10-20 ms timeouts or bad timeouts (argument errors,
 *    timing out on empty keys, immediate pops).
 * Keys come from a tiny pool so blocks and pushes meet. Zset forms appear only when the
 * zsets family is available. Imports only gen.ts, fam-lists.ts, fam-zsets.ts, fast-check.
 */
import fc from 'fast-check';
import { alt, blockTimeout, cmd, count, lit, mangle, many, member, one, opt, seq, value, weighted, word, type Argv, type Step } from './gen.js';
import { side } from './fam-lists.js';
import { minMax } from './fam-zsets.js';

const bkey = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('k0', 'k1') }, { weight: 1, arbitrary: fc.constant('k2') });

/**
 * Timeout for a background block: far longer than any sequence, so it never races the
 * steps that may serve it. A block nobody serves costs nothing: the runner releases it
 * with CLIENT UNBLOCK ... TIMEOUT when it needs the client again or the sequence ends.
 */
const BG_TIMEOUT = '30';

function bnumkeys(): Argv {
  return fc.array(bkey, { minLength: 1, maxLength: 2 }).map((ks) => [String(ks.length), ...ks]);
}

function listBlocks(t: Argv): Argv {
  return weighted(
    [3, cmd('BLPOP', many(one(bkey), 1, 2), t)],
    [3, cmd('BRPOP', many(one(bkey), 1, 2), t)],
    [2, cmd('BLMOVE', one(bkey), one(bkey), side, side, t)],
    [1, cmd('BRPOPLPUSH', one(bkey), one(bkey), t)],
    [2, seq(lit('BLMPOP'), t, bnumkeys(), side, opt(seq(word('COUNT'), one(count))))],
  );
}

function zsetBlocks(t: Argv): Argv {
  return weighted(
    [3, cmd('BZPOPMIN', many(one(bkey), 1, 2), t)],
    [2, cmd('BZPOPMAX', many(one(bkey), 1, 2), t)],
    [2, seq(lit('BZMPOP'), t, bnumkeys(), minMax, opt(seq(word('COUNT'), one(count))))],
  );
}

function feeders(lists: boolean, zsets: boolean): Argv {
  const parts: Array<[number, Argv]> = [[1, cmd('DEL', one(bkey))], [1, cmd('SET', one(bkey), lit('x'))]];
  if (lists) {
    parts.push(
      [5, cmd('RPUSH', one(bkey), many(one(value), 1, 3))],
      [3, cmd('LPUSH', one(bkey), many(one(value), 1, 2))],
      [2, cmd('LMOVE', one(bkey), one(bkey), side, side)],
      [1, cmd('LPOP', one(bkey))],
      [1, seq(lit('MULTI'))],
      [1, seq(lit('EXEC'))],
    );
  }
  if (zsets) parts.push([4, cmd('ZADD', one(bkey), many(seq(one(fc.constantFrom('1', '2', '3')), one(member)), 1, 2))], [1, cmd('ZPOPMIN', one(bkey))]);
  return weighted(...parts);
}

export function blockingSequence(lists: boolean, zsets: boolean, maxSteps: number): fc.Arbitrary<Step[]> {
  const bgT = lit(BG_TIMEOUT);
  const fgT = one(blockTimeout);
  const bgCmd = lists && zsets ? alt(listBlocks(bgT), zsetBlocks(bgT)) : lists ? listBlocks(bgT) : zsetBlocks(bgT);
  const fgCmd = mangle(lists && zsets ? alt(listBlocks(fgT), zsetBlocks(fgT)) : lists ? listBlocks(fgT) : zsetBlocks(fgT), 1, 4);
  const step = fc.oneof(
    { weight: 5, arbitrary: fc.record({ c: fc.constant(0), argv: feeders(lists, zsets) }) },
    { weight: 3, arbitrary: fc.record({ c: fc.constantFrom(1, 2), argv: bgCmd, bg: fc.constant(true) }) },
    { weight: 2, arbitrary: fc.record({ c: fc.constant(0), argv: fgCmd }) },
  );
  return fc.array(step, { minLength: 1, maxLength: maxSteps, size: 'medium' });
}
