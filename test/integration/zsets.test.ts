/**
 * Sorted-set commands against a real Tessera server: replies and error texts (and which
 * error wins), RESP2/RESP3 reply shapes byte for byte, OBJECT ENCODING transitions,
 * deletion of emptied keys, keyspace events, and what reaches the write log.
 * Expected values were checked against Redis 7.0.15.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { err, keyEvents, propagated } from '../helpers/observe.js';
import { raw, startServer, type RawClient, type TesseraServer } from '../helpers/server.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';




/** Sends one command on a raw connection and returns the reply bytes. */
async function rawCmd(c: RawClient, ...argv: string[]): Promise<string> {
  c.send(...argv);
  return c.reply();
}

describe('sorted set commands', () => {
  let srv: TesseraServer;
  let r: Redis;
  before(async () => {
    srv = await startServer({ 'notify-keyspace-events': 'KEA' });
    r = new Redis(srv.port);
  });
  after(async () => {
    r.disconnect();
    await srv.close();
  });
  beforeEach(async () => {
    await r.flushall();
    await r.config('SET', 'zset-max-listpack-entries', '128');
    await r.config('SET', 'zset-max-listpack-value', '64');
  });

  describe('ZADD / ZINCRBY', () => {
    it('adds, updates, and counts changes with CH', async () => {
      expect(await r.zadd('z', 1, 'a', 2, 'b', 3, 'c')).to.equal(3);
      expect(await r.zadd('z', 'CH', 5, 'a', 6, 'd', 2, 'b')).to.equal(2);
      expect(await r.zadd('z', 'XX', 'CH', 7, 'a', 8, 'e')).to.equal(1);
      expect(await r.zadd('z', 'GT', 'CH', 1, 'a', 10, 'b')).to.equal(1);
      expect(await r.zadd('z', 'LT', 'CH', 1, 'a', 10, 'c')).to.equal(1);
      expect(await r.zadd('z', 'NX', 100, 'a', 4, 'f')).to.equal(1);
      expect(await r.zrange('z', 0, -1, 'WITHSCORES')).to.deep.equal(['a', '1', 'c', '3', 'f', '4', 'd', '6', 'b', '10']);
      expect(await r.zadd('nokey', 'XX', 1, 'a')).to.equal(0);
      expect(await r.exists('nokey')).to.equal(0);
    });

    it('rejects bad options and scores before touching the key', async () => {
      await r.set('s', 'x');
      expect(await err(r.call('zadd', 'z'))).to.equal("ERR wrong number of arguments for 'zadd' command");
      expect(await err(r.call('zadd', 'z', '1'))).to.equal("ERR wrong number of arguments for 'zadd' command");
      expect(await err(r.call('zadd', 'z', 'nx', '1'))).to.equal('ERR syntax error');
      expect(await err(r.call('zadd', 'z', '1', 'a', '2'))).to.equal('ERR syntax error');
      expect(await err(r.call('zadd', 's', 'nx', 'xx', '1', 'a'))).to.equal('ERR XX and NX options at the same time are not compatible');
      for (const opts of [['nx', 'gt'], ['nx', 'lt'], ['gt', 'lt']]) {
        expect(await err(r.call('zadd', 's', ...opts, '1', 'a'))).to.equal('ERR GT, LT, and/or NX options at the same time are not compatible');
      }
      expect(await err(r.call('zadd', 's', 'incr', '1', 'a', '2', 'b'))).to.equal('ERR INCR option supports a single increment-element pair');
      for (const bad of ['x', 'nan', '1e400', '1e-400', ' 1', '']) {
        expect(await err(r.call('zadd', 's', bad, 'a')), bad).to.equal('ERR value is not a valid float');
      }
      // Every score is checked before anything is added.
      expect(await err(r.call('zadd', 'z', '1', 'a', 'x', 'b'))).to.equal('ERR value is not a valid float');
      expect(await r.exists('z')).to.equal(0);
      expect(await err(r.call('zadd', 's', '1', 'a'))).to.equal(WRONGTYPE);
      expect(await r.zadd('z', '0x10', 'hex', '+inf', 'top', '-inf', 'bottom')).to.equal(3);
      expect(await r.zrange('z', 0, -1, 'WITHSCORES')).to.deep.equal(['bottom', '-inf', 'hex', '16', 'top', 'inf']);
    });

    it('INCR replies the new score, or nil when a condition stopped it', async () => {
      expect(await r.zadd('z', 'INCR', 1.5, 'a')).to.equal('1.5');
      expect(await r.zadd('z', 'INCR', 1.5, 'a')).to.equal('3');
      expect(await r.zadd('z', 'INCR', 'NX', 1, 'a')).to.equal(null);
      expect(await r.zadd('z', 'INCR', 'GT', -1, 'a')).to.equal(null);
      expect(await r.zadd('z', 'INCR', 'LT', -1, 'a')).to.equal('2');
      expect(await r.zadd('z', 'INCR', 'XX', 1, 'nope')).to.equal(null);
      expect(await r.zadd('nokey', 'INCR', 'XX', 1, 'a')).to.equal(null);
      expect(await r.zincrby('z', 0.1, 'a')).to.equal('2.1000000000000001');
      expect(await r.zincrby('z', 5, 'new')).to.equal('5');
      expect(await err(r.call('zincrby', 'z', 'x', 'a'))).to.equal('ERR value is not a valid float');
      // ZINCRBY shares ZADD's option scan, so an option word in the increment slot is a syntax error.
      expect(await err(r.call('zincrby', 'z', 'nx', 'a'))).to.equal('ERR syntax error');
    });

    it('refuses an increment that makes NaN and leaves the score alone', async () => {
      await r.zadd('z', 'inf', 'a');
      expect(await err(r.zincrby('z', '-inf', 'a'))).to.equal('ERR resulting score is not a number (NaN)');
      expect(await err(r.zadd('z', 'INCR', '-inf', 'a'))).to.equal('ERR resulting score is not a number (NaN)');
      expect(await r.zscore('z', 'a')).to.equal('inf');
      expect(await r.zincrby('z', 'inf', 'a')).to.equal('inf');
    });

    it('emits zadd / zincr only when something changed, and counts dirty per change', async () => {
      await r.zadd('z', 1, 'a');
      const ev = await keyEvents(srv, r, async () => {
        await r.zadd('z', 1, 'a');
        await r.zadd('z', 2, 'a', 3, 'b');
        await r.zincrby('z', 1, 'a');
        await r.zadd('z', 'XX', 5, 'nope');
      });
      expect(ev).to.deep.equal(['zadd:z', 'zincr:z']);
      const log = await propagated(srv, async () => {
        await r.zadd('z', 3, 'a');
        await r.zadd('z', 'NX', 9, 'a');
        await r.zadd('z', 10, 'a', 11, 'c');
      });
      expect(log).to.deep.equal(['zadd z 10 a 11 c']);
    });
  });

  describe('member reads and ZREM', () => {
    it('answers ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK', async () => {
      await r.zadd('z', 1, 'a', 2, 'b', 3, 'c');
      await r.set('s', 'x');
      expect(await r.zcard('z')).to.equal(3);
      expect(await r.zcard('nokey')).to.equal(0);
      expect(await r.zscore('z', 'b')).to.equal('2');
      expect(await r.zscore('z', 'x')).to.equal(null);
      expect(await r.zscore('nokey', 'x')).to.equal(null);
      expect(await r.zmscore('z', 'a', 'x', 'c')).to.deep.equal(['1', null, '3']);
      expect(await r.zmscore('nokey', 'a', 'b')).to.deep.equal([null, null]);
      expect(await r.zrank('z', 'c')).to.equal(2);
      expect(await r.zrevrank('z', 'c')).to.equal(0);
      expect(await r.zrank('z', 'x')).to.equal(null);
      expect(await r.zrank('nokey', 'x')).to.equal(null);
      for (const cmd of ['zcard', 'zscore', 'zmscore', 'zrank', 'zrevrank']) {
        const args = cmd === 'zcard' ? ['s'] : ['s', 'a'];
        expect(await err(r.call(cmd, ...args)), cmd).to.equal(WRONGTYPE);
      }
      expect(await err(r.call('zrank', 'z', 'a', 'withscore'))).to.equal("ERR wrong number of arguments for 'zrank' command");
    });

    it('ZREM removes, deletes the emptied key, and notifies once', async () => {
      await r.zadd('z', 1, 'a', 2, 'b', 3, 'c');
      const ev = await keyEvents(srv, r, async () => {
        expect(await r.zrem('z', 'x')).to.equal(0);
        expect(await r.zrem('z', 'a', 'x', 'b')).to.equal(2);
        expect(await r.zrem('z', 'c', 'a')).to.equal(1);
      });
      expect(ev).to.deep.equal(['zrem:z', 'zrem:z', 'del:z']);
      expect(await r.exists('z')).to.equal(0);
      expect(await r.zrem('nokey', 'a')).to.equal(0);
      await r.set('s', 'x');
      expect(await err(r.zrem('s', 'a'))).to.equal(WRONGTYPE);
    });
  });

  describe('ranges', () => {
    beforeEach(async () => {
      await r.zadd('z', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e');
    });

    it('ZRANGE by rank, with REV and negative indexes', async () => {
      expect(await r.zrange('z', 0, -1)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
      expect(await r.zrange('z', 1, -2, 'WITHSCORES')).to.deep.equal(['b', '2', 'c', '3', 'd', '4']);
      expect(await r.zrange('z', -100, 100)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
      expect(await r.zrange('z', 3, 1)).to.deep.equal([]);
      expect(await r.zrange('z', 5, 10)).to.deep.equal([]);
      expect(await r.zrange('z', 0, 1, 'REV', 'WITHSCORES')).to.deep.equal(['e', '5', 'd', '4']);
      expect(await r.zrevrange('z', 0, -1)).to.deep.equal(['e', 'd', 'c', 'b', 'a']);
      expect(await r.call('zrange', 'z', '0', '9223372036854775807')).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
      expect(await r.zrange('nokey', 0, -1, 'WITHSCORES')).to.deep.equal([]);
    });

    it('ZRANGE BYSCORE with exclusive bounds, REV and LIMIT quirks', async () => {
      expect(await r.zrange('z', '(1', 4, 'BYSCORE')).to.deep.equal(['b', 'c', 'd']);
      expect(await r.zrange('z', 4, '(1', 'BYSCORE', 'REV')).to.deep.equal(['d', 'c', 'b']);
      expect(await r.zrange('z', '-inf', '+inf', 'BYSCORE', 'LIMIT', 1, 2, 'WITHSCORES')).to.deep.equal(['b', '2', 'c', '3']);
      // A negative offset returns nothing, a negative count means "all the rest".
      expect(await r.zrange('z', '-inf', '+inf', 'BYSCORE', 'LIMIT', -1, 2)).to.deep.equal([]);
      expect(await r.zrange('z', '-inf', '+inf', 'BYSCORE', 'LIMIT', 1, -1)).to.deep.equal(['b', 'c', 'd', 'e']);
      expect(await r.zrange('z', '-inf', '+inf', 'BYSCORE', 'LIMIT', 5, 1)).to.deep.equal([]);
      expect(await r.zrangebyscore('z', '(1', '(5')).to.deep.equal(['b', 'c', 'd']);
      expect(await r.zrevrangebyscore('z', 4, 2, 'LIMIT', 1, 5)).to.deep.equal(['c', 'b']);
      expect(await r.zrevrangebyscore('z', 2, 4)).to.deep.equal([]);
      // Bounds are read with strtod: leading blanks, "" as 0, huge values as inf, hex.
      expect(await r.zrangebyscore('z', '  2', ' 4')).to.deep.equal(['b', 'c', 'd']);
      expect(await r.zrangebyscore('z', '', '10')).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
      expect(await r.zrangebyscore('z', '(', '10')).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
      expect(await r.zrangebyscore('z', '-1e400', '0x3')).to.deep.equal(['a', 'b', 'c']);
      expect(await r.zrangebyscore('z', '1e400', 'inf')).to.deep.equal([]);
      for (const [a, b] of [['nan', '2'], ['((1', '2'], ['1', '2 '], ['x', '1']]) {
        expect(await err(r.zrangebyscore('z', a!, b!)), `${a} ${b}`).to.equal('ERR min or max is not a float');
      }
    });

    it('ZRANGE BYLEX and the lex commands', async () => {
      await r.del('z');
      await r.zadd('z', 0, 'a', 0, 'b', 0, 'c', 0, 'd', 0, 'e');
      expect(await r.zrangebylex('z', '-', '+')).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
      expect(await r.zrangebylex('z', '[b', '(e')).to.deep.equal(['b', 'c', 'd']);
      expect(await r.zrangebylex('z', '(b', '[e', 'LIMIT', 1, 2)).to.deep.equal(['d', 'e']);
      expect(await r.zrangebylex('z', '+', '-')).to.deep.equal([]);
      expect(await r.zrevrangebylex('z', '[e', '[b')).to.deep.equal(['e', 'd', 'c', 'b']);
      expect(await r.zrange('z', '[d', '-', 'BYLEX', 'REV')).to.deep.equal(['d', 'c', 'b', 'a']);
      expect(await r.zlexcount('z', '[b', '(e')).to.equal(3);
      expect(await r.zlexcount('z', '-', '+')).to.equal(5);
      expect(await r.zlexcount('nokey', '-', '+')).to.equal(0);
      for (const [a, b] of [['a', '+'], ['-', 'b'], ['+x', '+'], ['', '+']]) {
        expect(await err(r.zrangebylex('z', a!, b!)), `${a} ${b}`).to.equal('ERR min or max not valid string range item');
      }
      expect(await err(r.call('zrangebylex', 'z', '-', '+', 'WITHSCORES'))).to.equal('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
    });

    it('checks options, then conflicts, then the range, then the key type', async () => {
      await r.set('s', 'x');
      expect(await err(r.call('zrange', 's', '0', '-1', 'foo'))).to.equal('ERR syntax error');
      expect(await err(r.call('zrange', 's', '0', '-1', 'BYSCORE', 'BYLEX'))).to.equal('ERR syntax error');
      expect(await err(r.call('zrange', 's', '0', '-1', 'REV', 'REV'))).to.equal('ERR syntax error');
      expect(await err(r.call('zrange', 's', '0', '-1', 'LIMIT', '0'))).to.equal('ERR syntax error');
      expect(await err(r.call('zrange', 's', '0', '-1', 'LIMIT', '0', '1'))).to.equal('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
      expect(await err(r.call('zrange', 's', 'x', '-1', 'LIMIT', '0', '1'))).to.equal('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
      expect(await err(r.call('zrange', 's', '0', '-1', 'LIMIT', 'x', '1'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('zrange', 's', 'x', '-1'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('zrange', 's', 'a', 'b', 'BYSCORE'))).to.equal('ERR min or max is not a float');
      expect(await err(r.call('zrange', 's', '0', '-1'))).to.equal(WRONGTYPE);
      // LIMIT with count -1 is "no LIMIT" and so allowed on a rank range.
      expect(await r.call('zrange', 'z', '0', '1', 'LIMIT', '5', '-1')).to.deep.equal(['a', 'b']);
      expect(await err(r.call('zrevrange', 'z', '0', '-1', 'REV'))).to.equal('ERR syntax error');
      expect(await err(r.call('zrevrange', 'z', '0', '-1', 'BYSCORE'))).to.equal('ERR syntax error');
      expect(await err(r.call('zrangebyscore', 'z', '0', '1', 'REV'))).to.equal('ERR syntax error');
      expect(await err(r.call('zrangestore', 'd', 'z', '0', '-1', 'WITHSCORES'))).to.equal('ERR syntax error');
    });

    it('ZCOUNT counts by score', async () => {
      expect(await r.zcount('z', '-inf', '+inf')).to.equal(5);
      expect(await r.zcount('z', '(1', 5)).to.equal(4);
      expect(await r.zcount('z', 2, '(2')).to.equal(0);
      expect(await r.zcount('z', 5, 1)).to.equal(0);
      expect(await r.zcount('nokey', 1, 2)).to.equal(0);
      expect(await err(r.zcount('z', 'x', 1))).to.equal('ERR min or max is not a float');
    });

    it('ZRANGESTORE stores the range, or deletes the destination when empty', async () => {
      await r.set('dst', 'old');
      await r.expire('dst', 100);
      const ev = await keyEvents(srv, r, async () => {
        expect(await r.zrangestore('dst', 'z', 1, 2)).to.equal(2);
        expect(await r.zrangestore('dst', 'z', 4, 2, 'BYSCORE', 'REV', 'LIMIT', 0, 2)).to.equal(2);
        expect(await r.zrangestore('dst', 'z', 10, 20)).to.equal(0);
        expect(await r.zrangestore('dst', 'z', 10, 20)).to.equal(0);
        expect(await r.zrangestore('dst', 'nokey', 0, -1)).to.equal(0);
      });
      expect(ev).to.deep.equal(['zrangestore:dst', 'zrangestore:dst', 'del:dst']);
      expect(await r.zrangestore('dst', 'z', '[a', '+', 'BYLEX', 'LIMIT', 1, 2)).to.equal(2);
      expect(await r.zrange('dst', 0, -1, 'WITHSCORES')).to.deep.equal(['b', '2', 'c', '3']);
      expect(await r.ttl('dst')).to.equal(-1);
      await r.set('s', 'x');
      expect(await err(r.zrangestore('dst', 's', 0, -1))).to.equal(WRONGTYPE);
      expect(await r.zrangestore('s', 'z', 0, 0)).to.equal(1);
      expect(await r.type('s')).to.equal('zset');
    });

    it('ZREMRANGEBYRANK / BYSCORE / BYLEX remove, notify, and drop emptied keys', async () => {
      const ev = await keyEvents(srv, r, async () => {
        expect(await r.zremrangebyrank('z', 0, 0)).to.equal(1);
        expect(await r.zremrangebyrank('z', -1, -1)).to.equal(1);
        expect(await r.zremrangebyrank('z', 5, 10)).to.equal(0);
        expect(await r.zremrangebyscore('z', '(2', 3)).to.equal(1);
        expect(await r.zremrangebyscore('z', 100, 200)).to.equal(0);
        expect(await r.zremrangebylex('z', '-', '+')).to.equal(2);
      });
      expect(ev).to.deep.equal(['zremrangebyrank:z', 'zremrangebyrank:z', 'zremrangebyscore:z', 'zremrangebylex:z', 'del:z']);
      expect(await r.exists('z')).to.equal(0);
      expect(await r.zremrangebyrank('nokey', 0, -1)).to.equal(0);
      expect(await err(r.zremrangebyrank('z', 'x', 1))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.zremrangebyscore('z', 'a', 'b'))).to.equal('ERR min or max is not a float');
      await r.set('s', 'x');
      expect(await err(r.zremrangebylex('s', '-', '+'))).to.equal(WRONGTYPE);
      expect(await err(r.zremrangebylex('s', 'x', '+'))).to.equal('ERR min or max not valid string range item');
    });
  });

  describe('pops', () => {
    it('ZPOPMIN / ZPOPMAX pop in order and delete the emptied key', async () => {
      await r.zadd('z', 1, 'a', 2, 'b', 3, 'c');
      const ev = await keyEvents(srv, r, async () => {
        expect(await r.zpopmin('z')).to.deep.equal(['a', '1']);
        expect(await r.zpopmax('z', 0)).to.deep.equal([]);
        expect(await r.zpopmax('z', 10)).to.deep.equal(['c', '3', 'b', '2']);
      });
      expect(ev).to.deep.equal(['zpopmin:z', 'zpopmax:z', 'del:z']);
      expect(await r.exists('z')).to.equal(0);
      expect(await r.zpopmin('nokey')).to.deep.equal([]);
      expect(await r.zpopmin('nokey', 3)).to.deep.equal([]);
      expect(await err(r.call('zpopmin', 'z', 'x'))).to.equal('ERR value is out of range, must be positive');
      expect(await err(r.call('zpopmin', 'z', '-1'))).to.equal('ERR value is out of range, must be positive');
      expect(await err(r.call('zpopmin', 'z', '1', '2'))).to.equal('ERR syntax error');
      await r.set('s', 'x');
      expect(await err(r.zpopmin('s'))).to.equal(WRONGTYPE);
    });

    it('ZMPOP pops from the first non-empty key and is propagated as ZPOPMIN/ZPOPMAX with a count', async () => {
      await r.zadd('z', 1, 'a', 2, 'b', 3, 'c');
      const log = await propagated(srv, async () => {
        expect(await r.call('zmpop', '2', 'nokey', 'z', 'MIN')).to.deep.equal(['z', [['a', '1']]]);
        expect(await r.call('zmpop', '1', 'z', 'MAX', 'COUNT', '10')).to.deep.equal(['z', [['c', '3'], ['b', '2']]]);
        expect(await r.call('zmpop', '1', 'z', 'MAX')).to.equal(null);
      });
      expect(log).to.deep.equal(['ZPOPMIN z 1', 'ZPOPMAX z 2']);
      await r.set('s', 'x');
      expect(await err(r.call('zmpop', '2', 's', 'z', 'MIN'))).to.equal(WRONGTYPE);
      expect(await err(r.call('zmpop', '0', 'z', 'MIN'))).to.equal('ERR numkeys should be greater than 0');
      expect(await err(r.call('zmpop', 'x', 'z', 'MIN'))).to.equal('ERR numkeys should be greater than 0');
      expect(await err(r.call('zmpop', '2', 'z', 'MIN'))).to.equal('ERR syntax error');
      expect(await err(r.call('zmpop', '1', 'z', 'LEFT'))).to.equal('ERR syntax error');
      expect(await err(r.call('zmpop', '1', 'z', 'MIN', 'COUNT'))).to.equal('ERR syntax error');
      expect(await err(r.call('zmpop', '1', 'z', 'MIN', 'COUNT', '0'))).to.equal('ERR count should be greater than 0');
      expect(await err(r.call('zmpop', '1', 'z', 'MIN', 'COUNT', '1', 'COUNT', '1'))).to.equal('ERR syntax error');
    });
  });

  describe('algebra', () => {
    beforeEach(async () => {
      await r.zadd('z', 1, 'a', 2, 'b', 3, 'c', 'inf', 'i');
      await r.zadd('y', 5, 'b', '-inf', 'i', 8, 'x');
      await r.sadd('s', 'b', 'c', 'q', 'i');
    });

    it('ZUNION / ZINTER / ZDIFF with weights, aggregates and plain sets', async () => {
      expect(await r.call('zunion', '2', 'z', 'y', 'WITHSCORES')).to.deep.equal(['i', '0', 'a', '1', 'c', '3', 'b', '7', 'x', '8']);
      expect(await r.call('zunion', '3', 'z', 'y', 's', 'WITHSCORES', 'AGGREGATE', 'MAX')).to.deep.equal(['a', '1', 'q', '1', 'c', '3', 'b', '5', 'x', '8', 'i', 'inf']);
      expect(await r.call('zinter', '3', 'z', 'y', 's', 'WITHSCORES')).to.deep.equal(['i', '1', 'b', '8']);
      expect(await r.call('zinter', '2', 'z', 'y', 'WITHSCORES', 'WEIGHTS', '2', '3', 'AGGREGATE', 'MIN')).to.deep.equal(['i', '-inf', 'b', '4']);
      // 0 * inf counts as 0.
      expect(await r.call('zunion', '1', 'z', 'WEIGHTS', '0', 'WITHSCORES')).to.deep.equal(['a', '0', 'b', '0', 'c', '0', 'i', '0']);
      expect(await r.call('zdiff', '2', 'z', 'y', 'WITHSCORES')).to.deep.equal(['a', '1', 'c', '3']);
      expect(await r.call('zdiff', '2', 'z', 'z')).to.deep.equal([]);
      expect(await r.call('zdiff', '2', 's', 'z', 'WITHSCORES')).to.deep.equal(['q', '1']);
      expect(await r.call('zinter', '2', 'z', 'z', 'WITHSCORES', 'WEIGHTS', '1', '-1')).to.deep.equal(['a', '0', 'b', '0', 'c', '0', 'i', '0']);
      expect(await r.call('zunion', '2', 'z', 'nokey')).to.deep.equal(['a', 'b', 'c', 'i']);
      expect(await r.call('zinter', '2', 'z', 'nokey')).to.deep.equal([]);
    });

    it('checks numkeys, then key types, then the options', async () => {
      await r.set('str', 'v');
      expect(await err(r.call('zunion', '0', 'z'))).to.equal("ERR at least 1 input key is needed for 'zunion' command");
      expect(await err(r.call('zunionstore', 'd', '0', 'z'))).to.equal("ERR at least 1 input key is needed for 'zunionstore' command");
      expect(await err(r.call('zintercard', '0', 'z'))).to.equal("ERR at least 1 input key is needed for 'zintercard' command");
      expect(await err(r.call('zunion', 'x', 'z'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('zunion', '3', 'z', 'y'))).to.equal('ERR syntax error');
      expect(await err(r.call('zunion', '2', 'z', 'str', 'WEIGHTS', 'x'))).to.equal(WRONGTYPE);
      expect(await err(r.call('zunion', '2', 'z', 'y', 'WEIGHTS', '1', 'x'))).to.equal('ERR weight value is not a float');
      expect(await err(r.call('zunion', '2', 'z', 'y', 'WEIGHTS', '1'))).to.equal('ERR syntax error');
      expect(await err(r.call('zunion', '2', 'z', 'y', 'AGGREGATE', 'avg'))).to.equal('ERR syntax error');
      expect(await err(r.call('zdiff', '2', 'z', 'y', 'WEIGHTS', '1', '2'))).to.equal('ERR syntax error');
      expect(await err(r.call('zunionstore', 'd', '2', 'z', 'y', 'WITHSCORES'))).to.equal('ERR syntax error');
      expect(await err(r.call('zintercard', '2', 'z', 'y', 'LIMIT', '-1'))).to.equal("ERR LIMIT can't be negative");
      expect(await err(r.call('zintercard', '2', 'z', 'y', 'LIMIT', 'x'))).to.equal("ERR LIMIT can't be negative");
      expect(await err(r.call('zintercard', '2', 'z', 'y', 'WITHSCORES'))).to.equal('ERR syntax error');
    });

    it('the STORE forms store, notify, convert small results back to listpack, and DEL on empty', async () => {
      await r.config('SET', 'zset-max-listpack-entries', '1');
      await r.zadd('big', 1, 'm1', 2, 'm2');
      expect(await r.call('object', 'encoding', 'big')).to.equal('skiplist');
      const ev = await keyEvents(srv, r, async () => {
        expect(await r.zunionstore('d', 2, 'z', 'y')).to.equal(5);
        expect(await r.zinterstore('d', 2, 'z', 'nokey')).to.equal(0);
        expect(await r.zinterstore('d', 2, 'z', 'nokey')).to.equal(0);
        expect(await r.zdiffstore('d', 2, 'big', 'z')).to.equal(2);
        expect(await r.zinterstore('d', 2, 'big', 's')).to.equal(0);
      });
      expect(ev).to.deep.equal(['zunionstore:d', 'del:d', 'zdiffstore:d', 'del:d']);
      await r.config('SET', 'zset-max-listpack-entries', '128');
      expect(await r.zunionstore('d', 1, 'big')).to.equal(2);
      expect(await r.call('object', 'encoding', 'd')).to.equal('listpack');
      expect(await r.zrange('d', 0, -1, 'WITHSCORES')).to.deep.equal(['m1', '1', 'm2', '2']);
    });

    it('ZINTERCARD counts with an optional LIMIT', async () => {
      expect(await r.call('zintercard', '2', 'z', 'y')).to.equal(2);
      expect(await r.call('zintercard', '3', 'z', 'y', 's')).to.equal(2);
      expect(await r.call('zintercard', '3', 'z', 'y', 's', 'LIMIT', '1')).to.equal(1);
      expect(await r.call('zintercard', '3', 'z', 'y', 's', 'LIMIT', '0')).to.equal(2);
      expect(await r.call('zintercard', '2', 'z', 'nokey')).to.equal(0);
    });
  });

  describe('ZRANDMEMBER', () => {
    it('a huge negative count stops at the output limit: the client is closed, nothing sent (was unbounded)', async () => {
      await r.zadd('z', 1, 'm');
      await r.config('SET', 'client-output-buffer-limit', 'normal 1000000 0 0');
      try {
        const c = await raw(srv.port);
        c.send('ZRANDMEMBER', 'z', '-999999999', 'WITHSCORES');
        expect(await c.waitClosed()).to.equal(true);
        expect(c.pending()).to.equal('');
        expect(await r.zrandmember('z', -2)).to.deep.equal(['m', 'm']);
      } finally {
        await r.config('SET', 'client-output-buffer-limit', 'normal 0 0 0');
      }
      // Without a limit the reply would not fit in memory: refused, as SRANDMEMBER/HRANDFIELD do.
      expect(await err(r.call('ZRANDMEMBER', 'z', '-999999999'))).to.equal('ERR count is too large for a single reply');
    });

    it('returns distinct members for a positive count and repeats for a negative one', async () => {
      const members = Array.from({ length: 50 }, (_, i) => `m${i}`);
      await r.zadd('z', ...members.flatMap((m, i) => [i, m]));
      for (const n of [1, 5, 20, 40, 49]) {
        const got = (await r.zrandmember('z', n)) as string[];
        expect(got.length).to.equal(n);
        expect(new Set(got).size).to.equal(n);
        for (const m of got) expect(members).to.include(m);
      }
      expect(await r.zrandmember('z', 100)).to.deep.equal([...members].reverse());
      const rep = (await r.zrandmember('z', -200)) as string[];
      expect(rep.length).to.equal(200);
      expect(new Set(rep).size).to.be.lessThan(200);
      const ws = (await r.zrandmember('z', 3, 'WITHSCORES')) as string[];
      expect(ws.length).to.equal(6);
      for (let i = 0; i < 6; i += 2) expect(ws[i + 1]).to.equal(ws[i]!.slice(1));
      expect(members).to.include(await r.zrandmember('z'));
      expect(await r.zrandmember('z', 0)).to.deep.equal([]);
    });

    it('has Redis replies for missing keys and bad counts', async () => {
      await r.zadd('z', 1, 'a');
      expect(await r.zrandmember('nokey')).to.equal(null);
      expect(await r.zrandmember('nokey', 3)).to.deep.equal([]);
      expect(await err(r.call('zrandmember', 'z', 'x'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('zrandmember', 'z', '1', 'foo'))).to.equal('ERR syntax error');
      expect(await err(r.call('zrandmember', 'z', '1', 'WITHSCORES', 'foo'))).to.equal('ERR syntax error');
      expect(await err(r.call('zrandmember', 'z', '-9223372036854775808'))).to.equal('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
      expect(await err(r.call('zrandmember', 'z', '4611686018427387904', 'WITHSCORES'))).to.equal('ERR value is out of range');
      expect(await err(r.call('zrandmember', 'z', '-4611686018427387904', 'WITHSCORES'))).to.equal('ERR value is out of range');
      await r.set('s', 'x');
      expect(await err(r.call('zrandmember', 's'))).to.equal(WRONGTYPE);
    });
  });

  describe('ZSCAN', () => {
    it('returns a listpack whole, with cursor 0 and listpack-formatted scores', async () => {
      await r.zadd('z', 1, 'a', 0.1, 'b', '1e20', 'c', '123456789012345680', 'd');
      expect(await r.zscan('z', 0)).to.deep.equal(['0', ['b', '0.10000000000000001', 'a', '1', 'd', '123456789012345680', 'c', '1e+20']]);
      expect(await r.zscan('z', 0, 'MATCH', '[ab]')).to.deep.equal(['0', ['b', '0.10000000000000001', 'a', '1']]);
      expect(await r.zscan('nokey', 0)).to.deep.equal(['0', []]);
      expect(await err(r.call('zscan', 'z', 'x'))).to.equal('ERR invalid cursor');
      expect(await err(r.call('zscan', 'z', '0', 'COUNT', '0'))).to.equal('ERR syntax error');
      expect(await err(r.call('zscan', 'z', '0', 'COUNT', 'x'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('zscan', 'z', '0', 'FOO', 'bar'))).to.equal('ERR syntax error');
      await r.set('s', 'x');
      expect(await err(r.call('zscan', 's', 'x'))).to.equal('ERR invalid cursor');
      expect(await err(r.call('zscan', 's', '0'))).to.equal(WRONGTYPE);
    });

    it('iterates a skiplist by cursor and sees every member', async () => {
      const n = 500;
      await r.zadd('z', ...Array.from({ length: n }, (_, i) => [i, `m${i}`]).flat());
      expect(await r.call('object', 'encoding', 'z')).to.equal('skiplist');
      const seen = new Map<string, string>();
      let cursor = '0';
      let calls = 0;
      do {
        const [next, items] = await r.zscan('z', cursor, 'COUNT', 50);
        for (let i = 0; i < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
        cursor = next;
        calls++;
      } while (cursor !== '0');
      expect(calls).to.be.greaterThan(5);
      expect(seen.size).to.equal(n);
      for (let i = 0; i < n; i++) expect(seen.get(`m${i}`)).to.equal(String(i));
    });
  });

  describe('encodings', () => {
    it('turns into a skiplist past either listpack limit, and stays one', async () => {
      await r.config('SET', 'zset-max-listpack-entries', '2');
      await r.zadd('e', 1, 'a', 2, 'b');
      expect(await r.call('object', 'encoding', 'e')).to.equal('listpack');
      await r.zadd('e', 3, 'c');
      expect(await r.call('object', 'encoding', 'e')).to.equal('skiplist');
      await r.zrem('e', 'c');
      expect(await r.call('object', 'encoding', 'e')).to.equal('skiplist');
      expect(await r.zrangestore('e2', 'e', 0, -1)).to.equal(2);
      expect(await r.call('object', 'encoding', 'e2')).to.equal('listpack');
      await r.config('SET', 'zset-max-listpack-value', '3');
      await r.zadd('g', 1, 'abcd');
      expect(await r.call('object', 'encoding', 'g')).to.equal('skiplist');
      await r.zadd('h', 1, 'abc');
      expect(await r.call('object', 'encoding', 'h')).to.equal('listpack');
      await r.zadd('h', 1, 'abcd');
      expect(await r.call('object', 'encoding', 'h')).to.equal('skiplist');
      await r.config('SET', 'zset-max-listpack-entries', '0');
      await r.zadd('f', 1, 'a');
      expect(await r.call('object', 'encoding', 'f')).to.equal('skiplist');
    });

    it('keeps -0 only in a skiplist (a listpack stores it as the integer 0)', async () => {
      await r.zadd('lp', '-0', 'a');
      expect(await r.zscore('lp', 'a')).to.equal('0');
      await r.config('SET', 'zset-max-listpack-entries', '0');
      await r.zadd('sk', '-0', 'a');
      expect(await r.zscore('sk', 'a')).to.equal('-0');
      expect(await r.zscan('sk', 0)).to.deep.equal(['0', ['a', '-0']]);
    });
  });

  describe('RESP3 and RESP2 shapes', () => {
    it('sends scores as doubles and WITHSCORES as [member, score] pairs in RESP3', async () => {
      await r.zadd('z', 1, 'a', 2.5, 'b', 'inf', 'c');
      await r.sadd('s', 'a');
      const c = await raw(srv.port);
      await rawCmd(c, 'HELLO', '3');
      expect(await rawCmd(c, 'ZRANGE', 'z', '0', '-1', 'WITHSCORES')).to.equal('*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n*2\r\n$1\r\nc\r\n,inf\r\n');
      expect(await rawCmd(c, 'ZREVRANGEBYSCORE', 'z', '+inf', '2', 'WITHSCORES')).to.equal('*2\r\n*2\r\n$1\r\nc\r\n,inf\r\n*2\r\n$1\r\nb\r\n,2.5\r\n');
      expect(await rawCmd(c, 'ZRANGE', 'z', '0', '0')).to.equal('*1\r\n$1\r\na\r\n');
      expect(await rawCmd(c, 'ZSCORE', 'z', 'b')).to.equal(',2.5\r\n');
      expect(await rawCmd(c, 'ZSCORE', 'z', 'x')).to.equal('_\r\n');
      expect(await rawCmd(c, 'ZMSCORE', 'z', 'a', 'x')).to.equal('*2\r\n,1\r\n_\r\n');
      expect(await rawCmd(c, 'ZRANK', 'z', 'x')).to.equal('_\r\n');
      expect(await rawCmd(c, 'ZINCRBY', 'z', '1', 'a')).to.equal(',2\r\n');
      expect(await rawCmd(c, 'ZADD', 'z', 'INCR', 'NX', '1', 'a')).to.equal('_\r\n');
      expect(await rawCmd(c, 'ZUNION', '2', 'z', 's', 'WITHSCORES')).to.equal('*3\r\n*2\r\n$1\r\nb\r\n,2.5\r\n*2\r\n$1\r\na\r\n,3\r\n*2\r\n$1\r\nc\r\n,inf\r\n');
      expect(await rawCmd(c, 'ZRANDMEMBER', 'z', '5', 'WITHSCORES')).to.equal('*3\r\n*2\r\n$1\r\nc\r\n,inf\r\n*2\r\n$1\r\nb\r\n,2.5\r\n*2\r\n$1\r\na\r\n,2\r\n');
      expect(await rawCmd(c, 'ZRANDMEMBER', 'nokey')).to.equal('_\r\n');
      expect(await rawCmd(c, 'ZPOPMIN', 'z')).to.equal('*2\r\n$1\r\na\r\n,2\r\n');
      expect(await rawCmd(c, 'ZPOPMIN', 'z', '1')).to.equal('*1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n');
      expect(await rawCmd(c, 'ZMPOP', '1', 'z', 'MAX')).to.equal('*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nc\r\n,inf\r\n');
      expect(await rawCmd(c, 'ZMPOP', '1', 'z', 'MAX')).to.equal('_\r\n');
      expect(await rawCmd(c, 'ZSCAN', 'nokey', '0')).to.equal('*2\r\n$1\r\n0\r\n*0\r\n');
      c.sock.destroy();
    });

    it('flattens in RESP2, scores as %.17g bulk strings', async () => {
      await r.zadd('z', 1, 'a', 0.1, 'b');
      const c = await raw(srv.port);
      expect(await rawCmd(c, 'ZRANGE', 'z', '0', '-1', 'WITHSCORES')).to.equal('*4\r\n$1\r\nb\r\n$19\r\n0.10000000000000001\r\n$1\r\na\r\n$1\r\n1\r\n');
      expect(await rawCmd(c, 'ZPOPMIN', 'z', '1')).to.equal('*2\r\n$1\r\nb\r\n$19\r\n0.10000000000000001\r\n');
      expect(await rawCmd(c, 'ZSCORE', 'z', 'x')).to.equal('$-1\r\n');
      expect(await rawCmd(c, 'ZMPOP', '1', 'nokey', 'MIN')).to.equal('*-1\r\n');
      expect(await rawCmd(c, 'ZMPOP', '1', 'z', 'MIN')).to.equal('*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n');
      c.sock.destroy();
    });
  });

  describe('command table', () => {
    it('finds the keys of the numkeys commands', async () => {
      expect(await r.call('command', 'getkeys', 'zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2')).to.deep.equal(['d', 'a', 'b']);
      expect(await r.call('command', 'getkeys', 'zinter', '2', 'a', 'b')).to.deep.equal(['a', 'b']);
      expect(await r.call('command', 'getkeys', 'zmpop', '2', 'a', 'b', 'MIN')).to.deep.equal(['a', 'b']);
      expect(await r.call('command', 'getkeys', 'zrangestore', 'd', 's', '0', '-1')).to.deep.equal(['d', 's']);
    });
  });
});
