/**
 * Differential tester, strings family generator: every string command with valid, edge and
 * broken argument shapes (conflicting SET/GETEX options, overflowing increments, huge and
 * negative offsets). SETRANGE offsets stay below a size that would make either server
 * allocate hundreds of megabytes. Imports only gen.ts and fast-check.
 */
import fc from 'fast-check';
import {
  alt, cmd, durationMs, durationS, float, int, key, lit, mangle, many, one, opt, seq, unixMs, unixS, value, weighted, word,
  type Argv,
} from './gen.js';

/** Strings that make LCS interesting (shared subsequences of different lengths). */
const lcsValue = fc.constantFrom('ohmytext', 'mynewtext', 'abcdefg', 'xaxbxcx', 'hello world', '', 'a');

const strValue = fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: lcsValue });

const offset = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1', '2', '5', '10', '100') },
  { weight: 1, arbitrary: fc.constantFrom('-1', '536870911x', '536870912', '9223372036854775807', 'abc', '') },
);

const rangeIdx = fc.constantFrom('0', '1', '2', '-1', '-2', '-100', '100', '5', '9223372036854775807', '-9223372036854775808', 'x');

const expiryOpt: Argv = alt(
  seq(word('EX'), one(durationS)),
  seq(word('PX'), one(durationMs)),
  seq(word('EXAT'), one(unixS)),
  seq(word('PXAT'), one(unixMs)),
  word('KEEPTTL'),
);

/** SET options as a bag: repeats and conflicts (NX XX, EX PX) included on purpose. */
const setOptionBag: Argv = many(alt(word('NX'), word('XX'), word('GET'), expiryOpt), 0, 3);
const setValid: Argv = seq(opt(alt(word('NX'), word('XX'))), opt(word('GET')), opt(expiryOpt));

const getexOpt: Argv = alt(
  seq(word('EX'), one(durationS)),
  seq(word('PX'), one(durationMs)),
  seq(word('EXAT'), one(unixS)),
  seq(word('PXAT'), one(unixMs)),
  word('PERSIST'),
);

const lcsOpts: Argv = many(alt(word('LEN'), word('IDX'), seq(word('MINMATCHLEN'), one(fc.constantFrom('0', '1', '2', '4', '-1', 'x'))), word('WITHMATCHLEN')), 0, 3);

export function stringCommands(): Argv {
  return weighted(
    [8, mangle(cmd('SET', one(key), one(strValue), alt(setValid, setOptionBag)))],
    [5, mangle(cmd('GET', one(key)))],
    [2, mangle(cmd('SETNX', one(key), one(strValue)))],
    [2, mangle(cmd('SETEX', one(key), one(durationS), one(strValue)))],
    [2, mangle(cmd('PSETEX', one(key), one(durationMs), one(strValue)))],
    [2, mangle(cmd('GETSET', one(key), one(strValue)))],
    [2, mangle(cmd('GETDEL', one(key)))],
    [3, mangle(cmd('GETEX', one(key), many(getexOpt, 0, 2)))],
    [3, mangle(cmd('MGET', many(one(key), 1, 4)))],
    [3, mangle(cmd('MSET', many(seq(one(key), one(strValue)), 1, 3)))],
    [2, mangle(cmd('MSETNX', many(seq(one(key), one(strValue)), 1, 3)))],
    [3, mangle(cmd('APPEND', one(key), one(strValue)))],
    [2, mangle(cmd('STRLEN', one(key)))],
    [3, mangle(cmd('GETRANGE', one(key), one(rangeIdx), one(rangeIdx)))],
    [1, mangle(cmd('SUBSTR', one(key), one(rangeIdx), one(rangeIdx)))],
    [3, mangle(cmd('SETRANGE', one(key), one(offset), one(strValue)))],
    [3, mangle(cmd('INCR', one(key)))],
    [2, mangle(cmd('DECR', one(key)))],
    [3, mangle(cmd('INCRBY', one(key), one(int)))],
    [2, mangle(cmd('DECRBY', one(key), one(int)))],
    [3, mangle(cmd('INCRBYFLOAT', one(key), one(float)))],
    [3, mangle(cmd('LCS', one(key), one(key), lcsOpts))],
  );
}

/** Plain writes that leave a string at a key. */
export function stringCreators(): Argv {
  return alt(
    cmd('SET', one(key), one(strValue)),
    cmd('SET', one(key), one(fc.constantFrom('0', '10', '-5', '1.5', '9223372036854775806'))),
    cmd('SET', one(key), one(lcsValue)),
    cmd('SET', one(key), lit('v'), lit('EX'), lit({ dur: 's', v: 20000 })),
  );
}
