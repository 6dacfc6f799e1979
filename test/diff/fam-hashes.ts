/**
 * Differential tester, hashes family generator: field writes (one large enough to leave the
 * listpack encoding), reads, increments with edge numbers, HRANDFIELD counts and HSCAN.
 * HSCAN is left out inside MULTI (a queued page cannot be iterated); HRANDFIELD stays
 * (compared by shape there, see normalize.ts). Imports only gen.ts, fam-keys.ts, fast-check.
 */
import fc from 'fast-check';
import { alt, cmd, count, float, int, key, lit, mangle, many, member, one, opt, seq, value, weighted, word, type Argv } from './gen.js';
import { scanOpts } from './fam-keys.js';

const bigHash = fc.constantFrom(130, 20).map((n) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`f${i}`, i % 2 ? String(i) : `v${i}`);
  return out;
});

const scanCursor = fc.oneof({ weight: 8, arbitrary: fc.constant('0') }, { weight: 1, arbitrary: fc.constantFrom('x', '1.5') });

export function hashCommands(inMulti: boolean): Argv {
  const parts: Array<[number, Argv]> = [
    [8, mangle(cmd('HSET', one(key), many(seq(one(member), one(value)), 1, 3)))],
    [1, cmd('HSET', one(key), bigHash)],
    [2, mangle(cmd('HSETNX', one(key), one(member), one(value)))],
    [2, mangle(cmd('HMSET', one(key), many(seq(one(member), one(value)), 1, 3)))],
    [4, mangle(cmd('HGET', one(key), one(member)))],
    [3, mangle(cmd('HMGET', one(key), many(one(member), 1, 3)))],
    [4, mangle(cmd('HDEL', one(key), many(one(member), 1, 3)))],
    [2, mangle(cmd('HLEN', one(key)))],
    [2, mangle(cmd('HSTRLEN', one(key), one(member)))],
    [2, mangle(cmd('HEXISTS', one(key), one(member)))],
    [2, mangle(cmd('HKEYS', one(key)))],
    [2, mangle(cmd('HVALS', one(key)))],
    [3, mangle(cmd('HGETALL', one(key)))],
    [4, mangle(cmd('HINCRBY', one(key), one(member), one(int)))],
    [4, mangle(cmd('HINCRBYFLOAT', one(key), one(member), one(float)))],
    [3, mangle(cmd('HRANDFIELD', one(key), opt(seq(one(count), opt(word('WITHVALUES'))))))],
  ];
  if (!inMulti) parts.push([3, mangle(cmd('HSCAN', one(key), one(scanCursor), scanOpts()))]);
  return weighted(...parts);
}

export function hashCreators(): Argv {
  return alt(cmd('HSET', one(key), one(member), one(value)), cmd('HSET', one(key), lit('a'), lit('1'), lit('b'), lit('2')));
}
