/**
 * Differential tester, sets family generator: adds (integer-only ones that stay an intset,
 * and large ones that cross the intset and listpack limits), removes, algebra (SINTER/
 * SUNION/SDIFF and their STORE forms, SINTERCARD), SMOVE, SPOP/SRANDMEMBER and SSCAN.
 * Inside MULTI a SPOP always pops more than the set can hold (a partial pop would leave the
 * two servers with different sets mid-transaction) and SSCAN is left out.
 * Imports only gen.ts, fam-keys.ts, fam-lists.ts and fast-check.
 */
import fc from 'fast-check';
import { alt, cmd, count, key, lit, mangle, many, member, one, opt, seq, weighted, word, type Argv } from './gen.js';
import { scanOpts } from './fam-keys.js';
import { numkeys } from './fam-lists.js';

const intMember = fc.constantFrom('1', '2', '3', '10', '-5', '100', '9223372036854775807', '-9223372036854775808');

const bigSet = fc.constantFrom('int', 'str').chain((kind) =>
  fc.constantFrom(600, 140).map((n) => Array.from({ length: n }, (_, i) => (kind === 'int' ? String(i * 7 - 50) : `m${i}`))),
);

const scanCursor = fc.oneof({ weight: 8, arbitrary: fc.constant('0') }, { weight: 1, arbitrary: fc.constantFrom('x', '1.5') });

export function setCommands(inMulti: boolean): Argv {
  const parts: Array<[number, Argv]> = [
    [8, mangle(cmd('SADD', one(key), many(one(member), 1, 4)))],
    [3, cmd('SADD', one(key), many(one(intMember), 1, 4))],
    [1, cmd('SADD', one(key), bigSet)],
    [4, mangle(cmd('SREM', one(key), many(one(member), 1, 3)))],
    [3, mangle(cmd('SCARD', one(key)))],
    [3, mangle(cmd('SISMEMBER', one(key), one(member)))],
    [2, mangle(cmd('SMISMEMBER', one(key), many(one(member), 1, 3)))],
    [3, mangle(cmd('SMEMBERS', one(key)))],
    [3, mangle(cmd('SMOVE', one(key), one(key), one(member)))],
    [3, mangle(cmd('SINTER', many(one(key), 1, 3)))],
    [2, mangle(cmd('SINTERCARD', numkeys(), opt(seq(word('LIMIT'), one(count)))))],
    [2, mangle(cmd('SINTERSTORE', one(key), many(one(key), 1, 3)))],
    [3, mangle(cmd('SUNION', many(one(key), 1, 3)))],
    [2, mangle(cmd('SUNIONSTORE', one(key), many(one(key), 1, 3)))],
    [3, mangle(cmd('SDIFF', many(one(key), 1, 3)))],
    [2, mangle(cmd('SDIFFSTORE', one(key), many(one(key), 1, 3)))],
    [3, mangle(cmd('SRANDMEMBER', one(key), opt(one(count))))],
  ];
  if (inMulti) {
    parts.push([2, cmd('SPOP', one(key), lit('1000'))]);
  } else {
    parts.push([4, mangle(cmd('SPOP', one(key), opt(one(count))))]);
    parts.push([3, mangle(cmd('SSCAN', one(key), one(scanCursor), scanOpts()))]);
  }
  return weighted(...parts);
}

export function setCreators(): Argv {
  return alt(cmd('SADD', one(key), many(one(member), 1, 3)), cmd('SADD', one(key), lit('1'), lit('2'), lit('3')));
}
