/**
 * Differential tester, lists family generator: pushes (including one large enough to span
 * several quicklist nodes), pops with counts, index/range edges, LINSERT/LREM/LTRIM/LPOS
 * options and the move commands. The blocking commands live in fam-blocking.ts (they land
 * separately). Imports only gen.ts and fast-check.
 */
import fc from 'fast-check';
import {
  alt, cmd, count, index, key, lit, mangle, many, one, options, seq, value, weighted, word,
  type Argv,
} from './gen.js';

const side = alt(word('LEFT'), word('RIGHT'));

/** numkeys followed by keys; numkeys is sometimes wrong on purpose. */
function numkeys(): Argv {
  return fc.tuple(fc.array(key, { minLength: 1, maxLength: 3 }), fc.oneof({ weight: 12, arbitrary: fc.constant('ok') }, { weight: 1, arbitrary: fc.constantFrom('0', '-1', 'more', 'x') })).map(([ks, mode]) => {
    const n = mode === 'ok' ? String(ks.length) : mode === 'more' ? String(ks.length + 1) : mode;
    return [n, ...ks];
  });
}

const bigList = fc.constantFrom(200, 130).map((n) => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? String(i) : `elem-${i}-${'y'.repeat(60)}`)));

export function listCommands(): Argv {
  return weighted(
    [6, mangle(cmd('LPUSH', one(key), many(one(value), 1, 4)))],
    [6, mangle(cmd('RPUSH', one(key), many(one(value), 1, 4)))],
    [1, cmd('RPUSH', one(key), bigList)],
    [2, mangle(cmd('LPUSHX', one(key), many(one(value), 1, 3)))],
    [2, mangle(cmd('RPUSHX', one(key), many(one(value), 1, 3)))],
    [3, mangle(cmd('LPOP', one(key), options(one(count))))],
    [3, mangle(cmd('RPOP', one(key), options(one(count))))],
    [3, mangle(cmd('LLEN', one(key)))],
    [5, mangle(cmd('LRANGE', one(key), one(index), one(index)))],
    [3, mangle(cmd('LINDEX', one(key), one(index)))],
    [3, mangle(cmd('LSET', one(key), one(index), one(value)))],
    [3, mangle(cmd('LINSERT', one(key), alt(word('BEFORE'), word('AFTER')), one(value), one(value)))],
    [3, mangle(cmd('LREM', one(key), one(index), one(value)))],
    [3, mangle(cmd('LTRIM', one(key), one(index), one(index)))],
    [3, mangle(cmd('LPOS', one(key), one(value), options(seq(word('RANK'), one(index)), seq(word('COUNT'), one(count)), seq(word('MAXLEN'), one(count)))))],
    [2, mangle(cmd('RPOPLPUSH', one(key), one(key)))],
    [3, mangle(cmd('LMOVE', one(key), one(key), side, side))],
    [3, mangle(cmd('LMPOP', numkeys(), side, options(seq(word('COUNT'), one(count)))))],
  );
}

export function listCreators(): Argv {
  return alt(cmd('RPUSH', one(key), many(one(value), 1, 3)), cmd('LPUSH', one(key), lit('a'), lit('b'), lit('c')));
}

export { numkeys, side };
