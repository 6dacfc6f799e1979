/**
 * String commands against a real in-process server: replies and error texts as Redis
 * 7.0.15 gives them (checked against redis-server), binary safety, RESP2/RESP3 shapes,
 * what reaches the write log (absolute PXAT / PEXPIREAT, SET ... KEEPTTL) and the
 * keyspace events. The server runs on a frozen clock so TTLs and logged times are exact.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { errorText, writeLogDuring, eventsDuring } from '../helpers/observe.js';
import { raw, startServer, type TesseraServer } from '../helpers/server.js';

const T0 = 1_700_000_000_000;

describe('string commands', () => {
  let srv: TesseraServer;
  let r: Redis;
  const clock = { t: T0, now(): number { return this.t; } };

  before(async () => {
    srv = await startServer({}, { clock });
    r = new Redis(srv.port);
  });
  after(async () => {
    r.disconnect();
    await srv.close();
  });
  beforeEach(async () => {
    clock.t = T0;
    await r.flushall();
  });

  const err = errorText;

  const logged = (fn: () => Promise<unknown>) => writeLogDuring(srv, fn);

  const events = (fn: () => Promise<unknown>) => eventsDuring(srv, fn);

  describe('GET / SET', () => {
    it('stores and returns binary-safe values under binary-safe keys', async () => {
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const key = Buffer.from([0, 255, 13, 10, 32]);
      expect(await r.set(key, bytes)).to.equal('OK');
      expect((await r.getBuffer(key))!.equals(bytes)).to.equal(true);
      expect(await r.strlen(key)).to.equal(256);
      expect(await r.get('missing')).to.equal(null);
    });

    it('honours NX and XX, and GET returns the old value', async () => {
      expect(await r.set('k', 'a', 'XX')).to.equal(null);
      expect(await r.set('k', 'a', 'NX')).to.equal('OK');
      expect(await r.set('k', 'b', 'NX')).to.equal(null);
      expect(await r.set('k', 'b', 'XX')).to.equal('OK');
      expect(await r.call('SET', 'k', 'c', 'GET')).to.equal('b');
      expect(await r.call('SET', 'n', 'c', 'NX', 'GET')).to.equal(null);
      expect(await r.get('n')).to.equal('c');
      expect(await r.call('SET', 'k', 'd', 'NX', 'GET')).to.equal('c');
      expect(await r.get('k')).to.equal('c');
      expect(await r.call('set', 'k', 'e', 'get', 'GET')).to.equal('c');
    });

    it('sets TTLs from EX, PX, EXAT and PXAT, drops them on overwrite unless KEEPTTL', async () => {
      await r.set('a', 'v', 'EX', 100);
      expect(await r.pttl('a')).to.equal(100_000);
      await r.set('a', 'v', 'PX', 1500);
      expect(await r.pttl('a')).to.equal(1500);
      await r.call('SET', 'a', 'v', 'EXAT', String(T0 / 1000 + 50));
      expect(await r.pttl('a')).to.equal(50_000);
      await r.call('SET', 'a', 'v', 'PXAT', String(T0 + 7));
      expect(await r.pttl('a')).to.equal(7);
      await r.call('SET', 'a', 'w', 'KEEPTTL');
      expect(await r.pttl('a')).to.equal(7);
      await r.set('a', 'x');
      expect(await r.pttl('a')).to.equal(-1);
    });

    it('a PXAT in the past stores a key that is already gone', async () => {
      expect(await r.call('SET', 'a', 'v', 'PXAT', String(T0 - 1))).to.equal('OK');
      expect(await r.exists('a')).to.equal(0);
    });

    it('refuses conflicting or malformed options with a syntax error', async () => {
      for (const args of [['NX', 'XX'], ['XX', 'NX'], ['EX', '10', 'PX', '10'], ['PX', '1', 'EXAT', '1'], ['KEEPTTL', 'EX', '10'],
        ['EX', '10', 'KEEPTTL'], ['PXAT', '5', 'KEEPTTL'], ['EX'], ['FOO'], ['PERSIST'], ['EXAT', '1', 'PXAT', '1']]) {
        expect(await err(r.call('SET', 'k', 'v', ...args)), args.join(' ')).to.equal('ERR syntax error');
      }
      expect(await r.exists('k')).to.equal(0);
    });

    it('rejects invalid expire times with the command name in the text', async () => {
      for (const [args, name] of [
        [['SET', 'k', 'v', 'EX', '0'], 'set'], [['SET', 'k', 'v', 'PX', '-1'], 'set'],
        [['SET', 'k', 'v', 'EX', '9223372036854776'], 'set'], [['SET', 'k', 'v', 'PX', '9223372036854775807'], 'set'],
        [['SET', 'k', 'v', 'EXAT', '9223372036854775807'], 'set'], [['SETEX', 'k', '0', 'v'], 'setex'],
        [['PSETEX', 'k', '-5', 'v'], 'psetex'],
      ] as Array<[string[], string]>) {
        expect(await err(r.call(args[0]!, ...args.slice(1))), args.join(' ')).to.equal(`ERR invalid expire time in '${name}' command`);
      }
      expect(await err(r.call('SET', 'k', 'v', 'EX', 'abc'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('SETEX', 'k', '1.5', 'v'))).to.equal('ERR value is not an integer or out of range');
    });

    it('SET GET against a non-string fails without writing', async () => {
      await r.rpush('l', 'x');
      expect(await err(r.call('SET', 'l', 'v', 'GET'))).to.match(/^WRONGTYPE/);
      expect(await r.type('l')).to.equal('list');
      expect(await r.set('l', 'v')).to.equal('OK');
      expect(await r.type('l')).to.equal('string');
    });
  });

  describe('SETNX SETEX PSETEX GETSET GETDEL GETEX', () => {
    it('SETNX replies 1 or 0', async () => {
      expect(await r.setnx('k', 'a')).to.equal(1);
      expect(await r.setnx('k', 'b')).to.equal(0);
      expect(await r.get('k')).to.equal('a');
    });

    it('SETEX and PSETEX set value and TTL', async () => {
      expect(await r.setex('k', 10, 'v')).to.equal('OK');
      expect(await r.pttl('k')).to.equal(10_000);
      expect(await r.psetex('p', 250, 'w')).to.equal('OK');
      expect(await r.pttl('p')).to.equal(250);
      expect(await r.get('p')).to.equal('w');
    });

    it('GETSET returns the old value and clears the TTL', async () => {
      expect(await r.getset('k', 'a')).to.equal(null);
      await r.expire('k', 100);
      expect(await r.getset('k', 'b')).to.equal('a');
      expect(await r.ttl('k')).to.equal(-1);
      await r.rpush('l', 'x');
      expect(await err(r.getset('l', 'v'))).to.match(/^WRONGTYPE/);
    });

    it('GETDEL returns and removes', async () => {
      await r.set('k', 'v');
      expect(await r.getdel('k')).to.equal('v');
      expect(await r.exists('k')).to.equal(0);
      expect(await r.getdel('k')).to.equal(null);
      await r.rpush('l', 'x');
      expect(await err(r.getdel('l'))).to.match(/^WRONGTYPE/);
    });

    it('GETEX changes or removes the TTL, or deletes for a past absolute time', async () => {
      await r.set('k', 'v');
      expect(await r.getex('k')).to.equal('v');
      expect(await r.call('GETEX', 'k', 'EX', '10')).to.equal('v');
      expect(await r.pttl('k')).to.equal(10_000);
      expect(await r.call('GETEX', 'k', 'PX', '20')).to.equal('v');
      expect(await r.pttl('k')).to.equal(20);
      expect(await r.call('GETEX', 'k', 'EXAT', String(T0 / 1000 + 3))).to.equal('v');
      expect(await r.pttl('k')).to.equal(3000);
      expect(await r.call('GETEX', 'k', 'PERSIST')).to.equal('v');
      expect(await r.pttl('k')).to.equal(-1);
      expect(await r.call('GETEX', 'k', 'PXAT', String(T0 - 1))).to.equal('v');
      expect(await r.exists('k')).to.equal(0);
    });

    it('GETEX checks syntax first, then the key, then the expire time', async () => {
      for (const args of [['KEEPTTL'], ['NX'], ['GET'], ['PERSIST', 'EX', '10'], ['EX', '10', 'PERSIST'], ['EX']]) {
        expect(await err(r.call('GETEX', 'nokey', ...args)), args.join(' ')).to.equal('ERR syntax error');
      }
      expect(await r.call('GETEX', 'nokey', 'EX', '-1')).to.equal(null);
      await r.set('k', 'v');
      for (const args of [['EX', '-1'], ['EX', '10000000000000000'], ['EX', '-9999999999999999'], ['EXAT', '0'], ['PX', '0']]) {
        expect(await err(r.call('GETEX', 'k', ...args)), args.join(' ')).to.equal("ERR invalid expire time in 'getex' command");
      }
      await r.rpush('l', 'x');
      expect(await err(r.call('GETEX', 'l', 'EX', '-1'))).to.match(/^WRONGTYPE/);
    });
  });

  describe('MGET MSET MSETNX', () => {
    it('MGET answers nil for missing and non-string keys', async () => {
      await r.mset('a', '1', 'b', '2');
      await r.rpush('l', 'x');
      expect(await r.mget('a', 'l', 'nokey', 'b')).to.deep.equal(['1', null, null, '2']);
    });

    it('MSET overwrites and drops TTLs; MSETNX is all or nothing', async () => {
      await r.set('a', 'old', 'EX', 100);
      expect(await r.mset('a', '1', 'b', '2')).to.equal('OK');
      expect(await r.ttl('a')).to.equal(-1);
      expect(await r.msetnx('b', 'x', 'c', 'y')).to.equal(0);
      expect(await r.exists('c')).to.equal(0);
      expect(await r.msetnx('c', 'x', 'd', 'y')).to.equal(1);
      expect(await r.mget('c', 'd')).to.deep.equal(['x', 'y']);
    });

    it('an odd number of arguments is an arity error', async () => {
      expect(await err(r.call('MSET', 'a', '1', 'b'))).to.equal("ERR wrong number of arguments for 'mset' command");
      expect(await err(r.call('MSETNX', 'a', '1', 'b'))).to.equal("ERR wrong number of arguments for 'msetnx' command");
      expect(await err(r.call('MSET', 'a'))).to.equal("ERR wrong number of arguments for 'mset' command");
    });
  });

  describe('APPEND STRLEN GETRANGE SETRANGE', () => {
    it('APPEND creates or extends and keeps the TTL', async () => {
      expect(await r.append('k', 'ab')).to.equal(2);
      await r.expire('k', 100);
      expect(await r.append('k', '\x00c')).to.equal(4);
      expect(await r.get('k')).to.equal('ab\x00c');
      expect(await r.ttl('k')).to.equal(100);
      expect(await r.strlen('k')).to.equal(4);
      expect(await r.strlen('nokey')).to.equal(0);
    });

    it('GETRANGE and SUBSTR clamp indexes like Redis', async () => {
      await r.set('k', 'Hello World');
      const cases: Array<[number, number, string]> = [
        [0, 3, 'Hell'], [-3, -1, 'rld'], [0, -1, 'Hello World'], [10, 100, 'd'], [5, 3, ''], [-1, -5, ''],
        [-100, 2, 'Hel'], [0, -100, 'H'], [20, 30, ''],
      ];
      for (const [s, e, want] of cases) expect(await r.getrange('k', s, e), `${s} ${e}`).to.equal(want);
      expect(await r.call('SUBSTR', 'k', '0', '4')).to.equal('Hello');
      expect(await r.getrange('nokey', 0, -1)).to.equal('');
      await r.set('n', '12345');
      expect(await r.getrange('n', 1, 2)).to.equal('23');
      expect(await err(r.getrange('k', 'a' as unknown as number, 1))).to.equal('ERR value is not an integer or out of range');
    });

    it('SETRANGE pads with zero bytes and returns the new length', async () => {
      expect(await r.setrange('k', 5, 'x')).to.equal(6);
      expect((await r.getBuffer('k'))!.equals(Buffer.from([0, 0, 0, 0, 0, 120]))).to.equal(true);
      await r.set('s', 'Hello World');
      expect(await r.setrange('s', 6, 'Redis')).to.equal(11);
      expect(await r.get('s')).to.equal('Hello Redis');
      expect(await r.setrange('s', 1, '')).to.equal(11);
      expect(await r.setrange('empty', 3, '')).to.equal(0);
      expect(await r.exists('empty')).to.equal(0);
    });

    it('OBJECT ENCODING follows the writing command, not only the bytes (as redis-server 7.0.15)', async () => {
      const enc = (k: string) => r.object('ENCODING', k);
      await r.set('k', '1234');
      expect(await enc('k')).to.equal('int');
      expect(await r.setrange('k', 0, '2')).to.equal(4);
      expect(await enc('k')).to.equal('raw');
      expect(await r.get('k')).to.equal('2234');
      expect(await r.object('REFCOUNT', 'k')).to.equal(1);
      await r.set('k', '1234');
      expect(await r.setrange('k', 0, '')).to.equal(4);
      expect(await enc('k')).to.equal('int');
      await r.set('a', '12');
      await r.append('a', '3');
      expect(await enc('a')).to.equal('raw');
      await r.append('new', '12');
      expect(await enc('new')).to.equal('int');
      await r.setrange('sr', 0, '12');
      expect(await enc('sr')).to.equal('raw');
      // Copies, renames and moves keep the object's encoding; a new write decides afresh.
      await r.copy('a', 'a2');
      expect(await enc('a2')).to.equal('raw');
      await r.rename('a2', 'a3');
      expect(await enc('a3')).to.equal('raw');
      await r.move('a3', 1);
      await r.select(1);
      expect(await enc('a3')).to.equal('raw');
      await r.select(0);
      await r.incr('a');
      expect(await enc('a')).to.equal('int');
      await r.set('f', '12');
      expect(await r.incrbyfloat('f', '1')).to.equal('13');
      expect(await enc('f')).to.equal('embstr');
      await r.set('a', '12');
      expect(await enc('a')).to.equal('int');
    });

    it('SETRANGE and APPEND refuse results beyond proto-max-bulk-len', async () => {
      expect(await err(r.setrange('k', -1, 'x'))).to.equal('ERR offset is out of range');
      expect(await err(r.setrange('k', 536870912, 'x'))).to.equal('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
      expect(await err(r.call('SETRANGE', 'k', '9223372036854775807', 'x'))).to.equal(
        'ERR string exceeds maximum allowed size (proto-max-bulk-len)');
      await r.config('SET', 'proto-max-bulk-len', '1048576');
      try {
        await r.set('big', 'x'.repeat(1048570));
        expect(await err(r.append('big', '1234567'))).to.equal('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
        expect(await r.append('big', '123456')).to.equal(1048576);
        expect(await err(r.setrange('big', 1048576, 'x'))).to.equal('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
      } finally {
        await r.config('SET', 'proto-max-bulk-len', '536870912');
      }
    });

    it('WRONGTYPE for every string command on a list', async () => {
      await r.rpush('l', 'x');
      const wrong = 'WRONGTYPE Operation against a key holding the wrong kind of value';
      for (const args of [['GET', 'l'], ['GETDEL', 'l'], ['GETEX', 'l'], ['APPEND', 'l', 'x'], ['STRLEN', 'l'],
        ['GETRANGE', 'l', '0', '1'], ['SETRANGE', 'l', '0', 'x'], ['INCR', 'l'], ['DECRBY', 'l', '2'],
        ['INCRBYFLOAT', 'l', '1'], ['GETSET', 'l', 'x']]) {
        expect(await err(r.call(args[0]!, ...args.slice(1))), args.join(' ')).to.equal(wrong);
      }
    });
  });

  describe('INCR family', () => {
    it('counts from zero and keeps the TTL', async () => {
      expect(await r.incr('c')).to.equal(1);
      await r.expire('c', 100);
      expect(await r.incrby('c', 10)).to.equal(11);
      expect(await r.decr('c')).to.equal(10);
      expect(await r.decrby('c', 20)).to.equal(-10);
      expect(await r.ttl('c')).to.equal(100);
      expect(await r.get('c')).to.equal('-10');
    });

    it('handles the int64 edges exactly', async () => {
      const c = await raw(srv.port);
      c.send('SET', 'n', '9223372036854775806');
      expect(await c.reply()).to.equal('+OK\r\n');
      c.send('INCR', 'n');
      expect(await c.reply()).to.equal(':9223372036854775807\r\n');
      c.send('INCR', 'n');
      expect(await c.reply()).to.equal('-ERR increment or decrement would overflow\r\n');
      c.send('DECRBY', 'n', '-1');
      expect(await c.reply()).to.equal('-ERR increment or decrement would overflow\r\n');
      c.send('INCRBY', 'm', '-9223372036854775808');
      expect(await c.reply()).to.equal(':-9223372036854775808\r\n');
      c.send('DECR', 'm');
      expect(await c.reply()).to.equal('-ERR increment or decrement would overflow\r\n');
      c.send('DECRBY', 'm', '-9223372036854775808');
      expect(await c.reply()).to.equal('-ERR decrement would overflow\r\n');
      c.close();
    });

    it('refuses values and increments that are not canonical integers', async () => {
      for (const v of ['abc', ' 1', '1 ', '01', '+1', '1.0', '9223372036854775808', '']) {
        await r.set('v', v);
        expect(await err(r.incr('v')), JSON.stringify(v)).to.equal('ERR value is not an integer or out of range');
      }
      expect(await err(r.incrby('c', 'x' as unknown as number))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('DECRBY', 'c', '9223372036854775808'))).to.equal('ERR value is not an integer or out of range');
    });

    it('INCRBYFLOAT formats like Redis (80-bit long double, %.17Lf, trimmed)', async () => {
      await r.set('f', '10.5');
      expect(await r.incrbyfloat('f', 0.1)).to.equal('10.6');
      await r.set('g', '0.1');
      expect(await r.incrbyfloat('g', '0.2')).to.equal('0.3');
      expect(await r.incrbyfloat('h', '5.0e3')).to.equal('5000');
      expect(await r.incrbyfloat('h', '-5000')).to.equal('0');
      await r.set('i', '123456789.123456789');
      expect(await r.incrbyfloat('i', '0.000000001')).to.equal('123456789.12345678999554366');
      expect(await r.incrbyfloat('j', '0x10')).to.equal('16');
    });

    it('INCRBYFLOAT errors and TTL', async () => {
      await r.set('f', '1');
      await r.expire('f', 50);
      expect(await r.incrbyfloat('f', '1.5')).to.equal('2.5');
      expect(await r.ttl('f')).to.equal(50);
      expect(await err(r.incrbyfloat('f', 'abc'))).to.equal('ERR value is not a valid float');
      expect(await err(r.incrbyfloat('f', 'nan'))).to.equal('ERR value is not a valid float');
      expect(await err(r.incrbyfloat('f', ' 1'))).to.equal('ERR value is not a valid float');
      expect(await err(r.incrbyfloat('f', 'inf'))).to.equal('ERR increment would produce NaN or Infinity');
      await r.set('big', '1e5000');
      expect(await err(r.incrbyfloat('big', '1'))).to.equal('ERR value is not a valid float');
      await r.set('huge', '1e4932');
      expect(await err(r.incrbyfloat('huge', '1e4932'))).to.equal('ERR increment would produce NaN or Infinity');
      expect(await r.get('f')).to.equal('2.5');
    });
  });

  describe('LCS', () => {
    beforeEach(async () => {
      await r.mset('k1', 'ohmytext', 'k2', 'mynewtext');
    });

    it('returns the subsequence, its length, or the match ranges', async () => {
      expect(await r.call('LCS', 'k1', 'k2')).to.equal('mytext');
      expect(await r.call('LCS', 'k1', 'k2', 'LEN')).to.equal(6);
      expect(await r.call('LCS', 'k1', 'k2', 'IDX')).to.deep.equal(
        ['matches', [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], 'len', 6]);
      expect(await r.call('LCS', 'k1', 'k2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).to.deep.equal(
        ['matches', [[[4, 7], [5, 8], 4]], 'len', 6]);
      expect(await r.call('LCS', 'k1', 'nokey')).to.equal('');
      expect(await r.call('LCS', 'nokey', 'k2', 'LEN')).to.equal(0);
    });

    it('IDX is a map in RESP3 and a flat array in RESP2', async () => {
      const c = await raw(srv.port);
      c.send('LCS', 'k1', 'k2', 'IDX', 'WITHMATCHLEN', 'MINMATCHLEN', '4');
      expect(await c.reply()).to.equal('*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n');
      c.send('HELLO', '3');
      await c.reply();
      c.send('LCS', 'k1', 'k2', 'IDX', 'WITHMATCHLEN', 'MINMATCHLEN', '4');
      expect(await c.reply()).to.equal('%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n');
      c.close();
    });

    it('matches Redis on the virus test strings', async () => {
      const a = 'ACCGGTCGAGTGCGCGGAAGCCGGCCGAA';
      const b = 'GTCGTTCGGAATGCCGTTGCTCTGTAAA';
      await r.mset('a', a, 'b', b);
      expect(await r.call('LCS', 'a', 'b')).to.equal('GTCGTCGGAAGCCGGCCGAA');
      expect(await r.call('LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '3')).to.deep.equal(
        ['matches', [[[19, 22], [12, 15]], [[14, 18], [6, 10]], [[4, 6], [0, 2]]], 'len', 20]);
    });

    it('errors', async () => {
      await r.rpush('l', 'x');
      expect(await err(r.call('LCS', 'k1', 'l'))).to.equal('ERR The specified keys must contain string values');
      expect(await err(r.call('LCS', 'k1', 'k2', 'LEN', 'IDX'))).to.equal('ERR If you want both the length and indexes, please just use IDX.');
      expect(await err(r.call('LCS', 'k1', 'k2', 'MINMATCHLEN', 'x'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('LCS', 'k1', 'k2', 'MINMATCHLEN'))).to.equal('ERR syntax error');
      expect(await err(r.call('LCS', 'k1', 'k2', 'FOO'))).to.equal('ERR syntax error');
    });
  });

  describe('propagation and events', () => {
    it('relative expiries reach the write log as SET ... PXAT', async () => {
      expect(await logged(() => r.set('a', 'v', 'EX', 100))).to.deep.equal([['SET', 'a', 'v', 'PXAT', String(T0 + 100_000)]]);
      expect(await logged(() => r.call('set', 'a', 'v', 'XX', 'GET', 'PX', '5'))).to.deep.equal([['SET', 'a', 'v', 'PXAT', String(T0 + 5)]]);
      expect(await logged(() => r.setex('b', 2, 'v'))).to.deep.equal([['SET', 'b', 'v', 'PXAT', String(T0 + 2000)]]);
      expect(await logged(() => r.psetex('b', 2, 'v'))).to.deep.equal([['SET', 'b', 'v', 'PXAT', String(T0 + 2)]]);
      expect(await logged(() => r.call('set', 'b', 'v', 'exat', '1800000000'))).to.deep.equal([['SET', 'b', 'v', 'PXAT', '1800000000000']]);
    });

    it('SET GET is logged without GET, unchanged otherwise, and not at all when nothing changed', async () => {
      expect(await logged(() => r.call('set', 'a', 'v', 'get', 'KEEPTTL', 'GET'))).to.deep.equal([['set', 'a', 'v', 'KEEPTTL']]);
      expect(await logged(() => r.call('set', 'a', 'w', 'XX'))).to.deep.equal([['set', 'a', 'w', 'XX']]);
      expect(await logged(() => r.call('set', 'a', 'w', 'NX'))).to.deep.equal([]);
      expect(await logged(() => r.setnx('a', 'x'))).to.deep.equal([]);
      expect(await logged(() => r.get('a'))).to.deep.equal([]);
    });

    it('GETSET, GETDEL, GETEX and INCRBYFLOAT log deterministic forms', async () => {
      await r.set('k', '1');
      expect(await logged(() => r.getset('k', '2'))).to.deep.equal([['SET', 'k', '2']]);
      expect(await logged(() => r.incrbyfloat('k', '0.5'))).to.deep.equal([['SET', 'k', '2.5', 'KEEPTTL']]);
      expect(await logged(() => r.call('getex', 'k', 'ex', '7'))).to.deep.equal([['PEXPIREAT', 'k', String(T0 + 7000)]]);
      expect(await logged(() => r.call('getex', 'k', 'persist'))).to.deep.equal([['PERSIST', 'k']]);
      expect(await logged(() => r.call('getex', 'k', 'persist'))).to.deep.equal([]);
      expect(await logged(() => r.call('getex', 'k'))).to.deep.equal([]);
      expect(await logged(() => r.call('getex', 'k', 'pxat', String(T0)))).to.deep.equal([['DEL', 'k']]);
      await r.set('k', 'v');
      expect(await logged(() => r.getdel('k'))).to.deep.equal([['DEL', 'k']]);
      expect(await logged(() => r.getdel('k'))).to.deep.equal([]);
    });

    it('GETEX and GETDEL log UNLINK under the lazyfree options', async () => {
      await r.config('SET', 'lazyfree-lazy-expire', 'yes');
      await r.config('SET', 'lazyfree-lazy-user-del', 'yes');
      try {
        await r.set('k', 'v');
        expect(await logged(() => r.call('getex', 'k', 'exat', '1'))).to.deep.equal([['UNLINK', 'k']]);
        await r.set('k', 'v');
        expect(await logged(() => r.getdel('k'))).to.deep.equal([['UNLINK', 'k']]);
      } finally {
        await r.config('SET', 'lazyfree-lazy-expire', 'no');
        await r.config('SET', 'lazyfree-lazy-user-del', 'no');
      }
    });

    it('in-place updates and MSET log the command as sent', async () => {
      expect(await logged(() => r.incr('c'))).to.deep.equal([['incr', 'c']]);
      expect(await logged(() => r.append('c', '0'))).to.deep.equal([['append', 'c', '0']]);
      expect(await logged(() => r.setrange('c', 0, '2'))).to.deep.equal([['setrange', 'c', '0', '2']]);
      expect(await logged(() => r.mset('a', '1', 'b', '2'))).to.deep.equal([['mset', 'a', '1', 'b', '2']]);
      expect(await logged(() => r.msetnx('a', '1', 'z', '2'))).to.deep.equal([]);
    });

    it('emits the same keyspace events as Redis, in order', async () => {
      expect(await events(() => r.set('k', 'v', 'EX', 10))).to.deep.equal([['n', 'new', 'k'], ['$', 'set', 'k'], ['g', 'expire', 'k']]);
      expect(await events(() => r.set('k', 'w'))).to.deep.equal([['$', 'set', 'k']]);
      expect(await events(() => r.get('nokey'))).to.deep.equal([['m', 'keymiss', 'nokey']]);
      expect(await events(() => r.mset('k', '1', 'j', '2'))).to.deep.equal([['$', 'set', 'k'], ['n', 'new', 'j'], ['$', 'set', 'j']]);
      expect(await events(() => r.incrby('k', 2))).to.deep.equal([['$', 'incrby', 'k']]);
      expect(await events(() => r.incrbyfloat('k', 2))).to.deep.equal([['$', 'incrbyfloat', 'k']]);
      expect(await events(() => r.append('k', 'x'))).to.deep.equal([['$', 'append', 'k']]);
      expect(await events(() => r.setrange('k', 1, 'x'))).to.deep.equal([['$', 'setrange', 'k']]);
      expect(await events(() => r.call('getex', 'k', 'px', '100'))).to.deep.equal([['g', 'expire', 'k']]);
      expect(await events(() => r.call('getex', 'k', 'persist'))).to.deep.equal([['g', 'persist', 'k']]);
      expect(await events(() => r.getdel('k'))).to.deep.equal([['g', 'del', 'k']]);
      expect(await events(() => r.getset('k', '1'))).to.deep.equal([['m', 'keymiss', 'k'], ['n', 'new', 'k'], ['$', 'set', 'k']]);
    });

    it('a lazily expired key is logged as DEL and reported as expired', async () => {
      await r.set('k', 'v', 'PX', 10);
      clock.t += 10;
      let ev: string[][] = [];
      const log = await logged(async () => {
        ev = await events(() => r.get('k'));
      });
      expect(log).to.deep.equal([['DEL', 'k']]);
      expect(ev).to.deep.equal([['x', 'expired', 'k'], ['m', 'keymiss', 'k']]);
    });
  });

  it('serves a pipeline of mixed string commands in order', async () => {
    const p = r.pipeline();
    for (let i = 0; i < 200; i++) p.set(`p${i}`, String(i)).incr(`p${i}`).get(`p${i}`);
    const res = await p.exec();
    expect(res!.length).to.equal(600);
    for (let i = 0; i < 200; i++) {
      expect(res![3 * i]).to.deep.equal([null, 'OK']);
      expect(res![3 * i + 1]).to.deep.equal([null, i + 1]);
      expect(res![3 * i + 2]).to.deep.equal([null, String(i + 1)]);
    }
  });
});
