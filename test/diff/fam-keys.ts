/**
 * Differential tester, generic keyspace and expiry family generator: DEL/EXISTS/TYPE,
 * renames and copies (also across databases 0 and 1), the EXPIRE family with NX/XX/GT/LT
 * bags, TTL readers, KEYS/SCAN/RANDOMKEY, SELECT/MOVE/SWAPDB and FLUSHDB.
 * Inside MULTI the SCAN form is left out: a queued SCAN returns one opaque page that cannot
 * be iterated to completion (see normalize.ts). Imports only gen.ts and fast-check.
 */
import fc from 'fast-check';
import {
  alt, cmd, durationMs, durationS, key, lit, mangle, many, one, opt, options, pattern, seq, unixMs, unixS, weighted, word,
  type Argv,
} from './gen.js';

const db = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('0', '1') }, { weight: 1, arbitrary: fc.constantFrom('2', '16', '-1', 'x', '') });

const expireFlags: Argv = many(alt(word('NX'), word('XX'), word('GT'), word('LT')), 0, 2);

const typeName = fc.constantFrom('string', 'list', 'set', 'zset', 'hash', 'stream', 'nosuchtype', 'STRING');

/** SCAN always starts at cursor 0 (the runner iterates it); bad cursors test parsing. */
const scanCursor = fc.oneof({ weight: 8, arbitrary: fc.constant('0') }, { weight: 1, arbitrary: fc.constantFrom('x', '', ' 0', '+0', '18446744073709551616', '1.5') });
const scanCount = fc.constantFrom('1', '2', '10', '1000', '0', '-1', 'x');

export function scanOpts(extra: Argv[] = []): Argv {
  return options(seq(word('MATCH'), one(pattern)), seq(word('COUNT'), one(scanCount)), ...extra);
}

export function keyCommands(inMulti: boolean): Argv {
  const parts: Array<[number, Argv]> = [
    [4, mangle(cmd('DEL', many(one(key), 1, 3)))],
    [2, mangle(cmd('UNLINK', many(one(key), 1, 3)))],
    [3, mangle(cmd('EXISTS', many(one(key), 1, 4)))],
    [3, mangle(cmd('TYPE', one(key)))],
    [3, mangle(cmd('RENAME', one(key), one(key)))],
    [2, mangle(cmd('RENAMENX', one(key), one(key)))],
    [3, mangle(cmd('COPY', one(key), one(key), options(seq(word('DB'), one(db)), word('REPLACE'))))],
    [1, mangle(cmd('TOUCH', many(one(key), 1, 3)))],
    [4, mangle(cmd('EXPIRE', one(key), one(durationS), expireFlags))],
    [3, mangle(cmd('PEXPIRE', one(key), one(durationMs), expireFlags))],
    [3, mangle(cmd('EXPIREAT', one(key), one(unixS), expireFlags))],
    [3, mangle(cmd('PEXPIREAT', one(key), one(unixMs), expireFlags))],
    [4, mangle(cmd('TTL', one(key)))],
    [3, mangle(cmd('PTTL', one(key)))],
    [2, mangle(cmd('EXPIRETIME', one(key)))],
    [2, mangle(cmd('PEXPIRETIME', one(key)))],
    [3, mangle(cmd('PERSIST', one(key)))],
    [2, mangle(cmd('KEYS', one(pattern)))],
    [1, mangle(cmd('RANDOMKEY'))],
    [1, mangle(cmd('DBSIZE'))],
    [2, mangle(cmd('MOVE', one(key), one(fc.oneof({ weight: 4, arbitrary: fc.constant('1') }, { weight: 1, arbitrary: db }))))],
    [1, mangle(cmd('SELECT', one(db)))],
    [1, mangle(cmd('SWAPDB', one(db), one(db)))],
    [1, cmd('FLUSHDB', opt(alt(word('ASYNC'), word('SYNC'))))],
  ];
  if (!inMulti) parts.push([2, mangle(cmd('SCAN', one(scanCursor), scanOpts([seq(word('TYPE'), one(typeName))])))]);
  return weighted(...parts);
}

/** Light keyspace touches other families mix in so types collide and disappear. */
export function keyBasics(): Argv {
  return alt(cmd('DEL', one(key)), cmd('TYPE', one(key)), cmd('EXISTS', one(key)), cmd('RENAME', one(key), one(key)), cmd('EXPIRE', one(key), lit({ dur: 's', v: 10000 })));
}
