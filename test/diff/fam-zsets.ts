/**
 * Differential tester, sorted sets family generator: ZADD with option bags (NX/XX/GT/LT/
 * CH/INCR conflicts), score edges (inf, nan, exponent forms), every range form (rank,
 * score with exclusive bounds, lex, REV, LIMIT), removals by range, pops, ZRANDMEMBER, set
 * algebra with WEIGHTS/AGGREGATE and ZSCAN (blocking pops live in fam-blocking.ts).
 * ZSCAN is left out inside MULTI. Imports only gen.ts, fam-keys.ts, fam-lists.ts, fast-check.
 */
import fc from 'fast-check';
import {
  alt, cmd, count, float, index, key, lexBound, lit, mangle, many, member, one, opt, options, scoreBound, seq,
  weighted, word, type Argv,
} from './gen.js';
import { scanOpts } from './fam-keys.js';
import { numkeys } from './fam-lists.js';

const score = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('0', '1', '2', '3', '1.5', '-1', '10', '2.5') },
  { weight: 2, arbitrary: fc.constantFrom('inf', '-inf', '+inf', '1e3', '-0', '0.1', '1e-5', '123456789012345678') },
  { weight: 1, arbitrary: fc.constantFrom('nan', 'x', '', '(1', '1e400') },
);

const zaddFlags: Argv = many(alt(word('NX'), word('XX'), word('GT'), word('LT'), word('CH'), word('INCR')), 0, 3);
const pairs: Argv = many(seq(one(score), one(member)), 1, 3);

const bigZset = fc.constantFrom(140, 20).map((n) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(String((i * 37) % 101), `z${i}`);
  return out;
});

const limit: Argv = seq(word('LIMIT'), one(index), one(count));
const minmax: Argv = alt(seq(one(index), one(index)), seq(one(scoreBound), one(scoreBound)), seq(one(lexBound), one(lexBound)));

/** ZRANGE-style arguments: mostly a coherent mode (rank, BYSCORE or BYLEX), sometimes a mix. */
function rangeArgs(withScores: boolean): Argv {
  const ws = withScores ? [word('WITHSCORES')] : [];
  return weighted(
    [3, seq(one(index), one(index), options(word('REV'), ...ws))],
    [3, seq(one(scoreBound), one(scoreBound), word('BYSCORE'), options(word('REV'), limit, ...ws))],
    [3, seq(one(lexBound), one(lexBound), word('BYLEX'), options(word('REV'), limit))],
    [1, seq(minmax, options(alt(word('BYSCORE'), word('BYLEX')), word('REV'), limit, ...ws))],
  );
}

/** ZADD flags: mostly a compatible set, sometimes a bag with conflicts. */
const zaddValid: Argv = seq(opt(alt(word('NX'), word('XX'))), opt(alt(word('GT'), word('LT'))), opt(word('CH')));
const weightVal = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('1', '2', '0', '-1', '0.5') }, { weight: 1, arbitrary: fc.constantFrom('inf', '-inf', 'x', 'nan') });
const weights: Argv = seq(word('WEIGHTS'), many(one(weightVal), 1, 3));

/** numkeys, keys, then options; WEIGHTS usually has one weight per key. */
function setOp(withScores: boolean, aggregates: boolean): Argv {
  return numkeys().chain((nk) => {
    const k = nk.length - 1;
    const w = fc.oneof({ weight: 4, arbitrary: seq(word('WEIGHTS'), fc.array(weightVal, { minLength: k, maxLength: k })) }, { weight: 1, arbitrary: weights });
    const parts: Argv[] = [];
    if (aggregates) parts.push(w, aggregate);
    if (withScores) parts.push(word('WITHSCORES'));
    return parts.length ? seq(lit(...nk), options(...parts)) : lit(...nk);
  });
}
const aggregate: Argv = seq(word('AGGREGATE'), one(fc.constantFrom('SUM', 'MIN', 'MAX', 'min', 'avg')));
export const minMax = alt(word('MIN'), word('MAX'));
const scanCursor = fc.oneof({ weight: 8, arbitrary: fc.constant('0') }, { weight: 1, arbitrary: fc.constantFrom('x', '1.5') });

export function zsetCommands(inMulti: boolean): Argv {
  const parts: Array<[number, Argv]> = [
    [5, mangle(cmd('ZADD', one(key), zaddValid, pairs))],
    [2, cmd('ZADD', one(key), zaddValid, word('INCR'), one(score), one(member))],
    [3, mangle(cmd('ZADD', one(key), zaddFlags, pairs))],
    [1, cmd('ZADD', one(key), bigZset)],
    [4, mangle(cmd('ZREM', one(key), many(one(member), 1, 3)))],
    [2, mangle(cmd('ZCARD', one(key)))],
    [3, mangle(cmd('ZSCORE', one(key), one(member)))],
    [2, mangle(cmd('ZMSCORE', one(key), many(one(member), 1, 3)))],
    [3, mangle(cmd('ZINCRBY', one(key), one(float), one(member)))],
    [2, mangle(cmd('ZCOUNT', one(key), one(scoreBound), one(scoreBound)))],
    [2, mangle(cmd('ZLEXCOUNT', one(key), one(lexBound), one(lexBound)))],
    [6, mangle(cmd('ZRANGE', one(key), rangeArgs(true)))],
    [3, mangle(cmd('ZRANGEBYSCORE', one(key), one(scoreBound), one(scoreBound), options(word('WITHSCORES'), limit)))],
    [2, mangle(cmd('ZREVRANGEBYSCORE', one(key), one(scoreBound), one(scoreBound), options(word('WITHSCORES'), limit)))],
    [2, mangle(cmd('ZRANGEBYLEX', one(key), one(lexBound), one(lexBound), opt(limit)))],
    [2, mangle(cmd('ZREVRANGEBYLEX', one(key), one(lexBound), one(lexBound), opt(limit)))],
    [2, mangle(cmd('ZREVRANGE', one(key), one(index), one(index), opt(word('WITHSCORES'))))],
    [3, mangle(cmd('ZRANK', one(key), one(member)))],
    [2, mangle(cmd('ZREVRANK', one(key), one(member)))],
    [2, mangle(cmd('ZREMRANGEBYRANK', one(key), one(index), one(index)))],
    [2, mangle(cmd('ZREMRANGEBYSCORE', one(key), one(scoreBound), one(scoreBound)))],
    [2, mangle(cmd('ZREMRANGEBYLEX', one(key), one(lexBound), one(lexBound)))],
    [3, mangle(cmd('ZPOPMIN', one(key), opt(one(count))))],
    [3, mangle(cmd('ZPOPMAX', one(key), opt(one(count))))],
    [2, mangle(cmd('ZMPOP', numkeys(), minMax, opt(seq(word('COUNT'), one(count)))))],
    [3, mangle(cmd('ZRANDMEMBER', one(key), opt(seq(one(count), opt(word('WITHSCORES'))))))],
    [3, mangle(cmd('ZRANGESTORE', one(key), one(key), rangeArgs(false)))],
    [3, mangle(cmd('ZUNION', setOp(true, true)))],
    [3, mangle(cmd('ZINTER', setOp(true, true)))],
    [2, mangle(cmd('ZDIFF', setOp(true, false)))],
    [2, mangle(cmd('ZUNIONSTORE', one(key), setOp(false, true)))],
    [2, mangle(cmd('ZINTERSTORE', one(key), setOp(false, true)))],
    [2, mangle(cmd('ZDIFFSTORE', one(key), numkeys()))],
    [2, mangle(cmd('ZINTERCARD', numkeys(), opt(seq(word('LIMIT'), one(count)))))],
  ];
  if (!inMulti) parts.push([3, mangle(cmd('ZSCAN', one(key), one(scanCursor), scanOpts()))]);
  return weighted(...parts);
}

export function zsetCreators(): Argv {
  return alt(cmd('ZADD', one(key), pairs), cmd('ZADD', one(key), lit('1'), lit('a'), lit('2'), lit('b'), lit('3'), lit('c')));
}
