/**
 * SORT and SORT_RO against replies recorded from redis-server 7.0.15: numeric and ALPHA
 * order, LIMIT clamping, BY patterns (constant = no sort, hash fields), GET (#, missing
 * keys, patterns without '*'), STORE (list result, deletion when empty, events), the
 * strtod weight rules and the exact errors.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { raw, startServer, type TesseraServer } from '../helpers/server.js';

describe('SORT', () => {
  let srv: TesseraServer;
  let r: Redis;
  const sort = (...args: Array<string | number>) => r.call('SORT', ...args);
  before(async () => {
    srv = await startServer();
    r = new Redis(srv.port);
  });
  after(async () => {
    r.disconnect();
    await srv.close();
  });
  beforeEach(async () => {
    await r.flushall();
  });

  it('numeric order follows strtod: spaces, hex and "" (as 0) are numbers', async () => {
    await r.rpush('l', '3', '10', '2', '1.5', '-1', ' 7', '0x10', '');
    expect(await sort('l')).to.deep.equal(['-1', '', '1.5', '2', '3', ' 7', '10', '0x10']);
    expect(await sort('l', 'DESC')).to.deep.equal(['0x10', '10', ' 7', '3', '2', '1.5', '', '-1']);
    expect(await sort('l', 'ALPHA')).to.deep.equal(['', ' 7', '-1', '0x10', '1.5', '10', '2', '3']);
    expect(await sort('l', 'alpha', 'desc', 'limit', 0, 3)).to.deep.equal(['3', '2', '10']);
  });

  it('LIMIT offset/count clamping', async () => {
    await r.rpush('l', '3', '10', '2', '1.5', '-1', ' 7', '0x10', '');
    expect(await sort('l', 'LIMIT', 1, 3)).to.deep.equal(['', '1.5', '2']);
    expect(await sort('l', 'LIMIT', -5, 2)).to.deep.equal(['-1', '']);
    expect(await sort('l', 'LIMIT', 2, -1)).to.deep.equal(['1.5', '2', '3', ' 7', '10', '0x10']);
    expect(await sort('l', 'LIMIT', 100, 5)).to.deep.equal([]);
    expect(await sort('l', 'LIMIT', 0, 0)).to.deep.equal([]);
    expect(await sort('l', 'DESC', 'LIMIT', 1, 2)).to.deep.equal(['10', ' 7']);
  });

  it('equal weights fall back to the elements; missing BY keys weigh 0 (or sort first with ALPHA)', async () => {
    await r.rpush('ties', 'x', 'y', 'z');
    await r.mset('wt_x', '1', 'wt_y', '1', 'wt_z', '0');
    expect(await sort('ties', 'BY', 'wt_*')).to.deep.equal(['z', 'x', 'y']);
    expect(await sort('ties', 'BY', 'wt_*', 'DESC')).to.deep.equal(['y', 'x', 'z']);
    expect(await sort('ties', 'BY', 'nokey_*', 'ALPHA')).to.deep.equal(['x', 'y', 'z']);
    expect(await sort('ties', 'BY', 'nokey_*')).to.deep.equal(['x', 'y', 'z']);
  });

  it('BY and GET patterns, hash fields, # and nil for missing values', async () => {
    await r.rpush('w', '2', '1', '3');
    await r.mset('w_1', '30', 'w_2', '10', 'w_3', '20', 'o_1', 'one', 'o_2', 'two');
    await r.hset('h_1', 'f', 'x');
    await r.hset('h_3', 'f', 'z');
    expect(await sort('w', 'BY', 'w_*')).to.deep.equal(['2', '3', '1']);
    expect(await sort('w', 'BY', 'w_*', 'DESC')).to.deep.equal(['1', '3', '2']);
    expect(await sort('w', 'BY', 'w_*', 'GET', 'o_*', 'GET', '#', 'GET', 'h_*->f')).to.deep.equal(
      ['two', '2', null, null, '3', 'z', 'one', '1', 'x']);
    expect(await sort('w', 'BY', 'h_*->f', 'ALPHA')).to.deep.equal(['2', '1', '3']);
    expect(await sort('w', 'GET', 'o_*')).to.deep.equal(['one', 'two', null]);
    expect(await sort('w', 'GET', 'nostar')).to.deep.equal([null, null, null]);
    expect(await sort('w', 'GET', '#->f')).to.deep.equal([null, null, null]);
    // "->" with nothing after it is part of the key name.
    expect(await sort('w', 'GET', 'o_*->')).to.deep.equal([null, null, null]);
    expect(await sort('w', 'BY', 'w_*', 'LIMIT', 0, 1, 'GET', 'o_*')).to.deep.equal(['two']);
    expect(await r.call('SORT_RO', 'w', 'BY', 'w_*', 'DESC')).to.deep.equal(['1', '3', '2']);
    // A GET of a key of another type reads as missing.
    await r.rpush('o_3', 'list');
    expect(await sort('w', 'GET', 'o_*')).to.deep.equal(['one', 'two', null]);
  });

  it('a constant BY keeps the native order (DESC reverses, LIMIT slices), even if a pattern BY follows', async () => {
    await r.rpush('w', '2', '1', '3');
    await r.mset('w_1', '30', 'w_2', '10', 'w_3', '20');
    expect(await sort('w', 'BY', 'nosort')).to.deep.equal(['2', '1', '3']);
    expect(await sort('w', 'BY', 'nosort', 'DESC')).to.deep.equal(['3', '1', '2']);
    expect(await sort('w', 'BY', 'nosort', 'LIMIT', 1, 1)).to.deep.equal(['1']);
    expect(await sort('w', 'BY', 'nosort', 'DESC', 'LIMIT', 1, 5)).to.deep.equal(['1', '2']);
    expect(await sort('w', 'BY', 'nosort', 'BY', 'w_*')).to.deep.equal(['2', '1', '3']);
    expect(await sort('w', 'BY', 'w_*', 'BY', 'nosort')).to.deep.equal(['2', '1', '3']);
    await r.zadd('z', 3, 'a', 1, 'b', 2, 'c');
    expect(await sort('z', 'BY', 'nosort')).to.deep.equal(['b', 'c', 'a']);
    expect(await sort('z', 'BY', 'nosort', 'DESC')).to.deep.equal(['a', 'c', 'b']);
    expect(await sort('z', 'BY', 'nosort', 'DESC', 'LIMIT', 1, 1)).to.deep.equal(['c']);
    expect(await sort('z', 'BY', 'nosort', 'LIMIT', 1, 5)).to.deep.equal(['c', 'a']);
  });

  it('sorted sets and sets; sorting a sorted set converts it to a skiplist', async () => {
    await r.zadd('z', 3, 'a', 1, 'b', 2, 'c');
    expect(await r.object('ENCODING', 'z')).to.equal('listpack');
    expect(await sort('z', 'ALPHA')).to.deep.equal(['a', 'b', 'c']);
    await expect(sort('z')).to.be.rejectedWith("ERR One or more scores can't be converted into double");
    expect(await r.object('ENCODING', 'z')).to.equal('skiplist');
    await r.sadd('si', '5', '3', '10');
    expect(await sort('si')).to.deep.equal(['3', '5', '10']);
    expect(await sort('si', 'DESC', 'STORE', 'dst')).to.equal(3);
    expect(await r.lrange('dst', 0, -1)).to.deep.equal(['10', '5', '3']);
    await r.sadd('s', 'c', 'a', 'b');
    expect(await sort('s', 'ALPHA')).to.deep.equal(['a', 'b', 'c']);
    // A set with a constant BY and STORE is sorted ALPHA so the stored list is deterministic.
    expect(await sort('s', 'BY', 'nosort', 'STORE', 'dst')).to.equal(3);
    expect(await r.lrange('dst', 0, -1)).to.deep.equal(['a', 'b', 'c']);
  });

  it('ALPHA compares like strcoll (up to a NUL) without STORE, bytewise with STORE', async () => {
    await r.rpush('mixed', 'b', 'a', 'B', '10', '9');
    expect(await sort('mixed', 'ALPHA')).to.deep.equal(['10', '9', 'B', 'a', 'b']);
    await r.rpush('nul', 'a\x00b', 'a\x00a', 'a');
    expect(await sort('nul', 'ALPHA')).to.deep.equal(['a\x00b', 'a\x00a', 'a']);
    expect(await sort('nul', 'ALPHA', 'STORE', 'nuls')).to.equal(3);
    expect(await r.lrange('nuls', 0, -1)).to.deep.equal(['a', 'a\x00a', 'a\x00b']);
  });

  it('STORE writes a list (GET misses as ""), deletes the destination when empty', async () => {
    await r.rpush('w', '2', '1', '3');
    await r.mset('w_1', '30', 'w_2', '10', 'w_3', '20', 'o_1', 'one', 'o_2', 'two');
    await r.set('dst', 'old');
    await r.expire('dst', 100);
    expect(await sort('w', 'STORE', 'dst')).to.equal(3);
    expect(await r.type('dst')).to.equal('list');
    expect(await r.ttl('dst')).to.equal(-1);
    expect(await sort('w', 'GET', 'o_*', 'STORE', 'dst')).to.equal(3);
    expect(await r.lrange('dst', 0, -1)).to.deep.equal(['one', 'two', '']);
    expect(await sort('w', 'BY', 'w_*', 'GET', 'o_*', 'GET', 'nokey_*', 'STORE', 'dst')).to.equal(6);
    expect(await r.lrange('dst', 0, -1)).to.deep.equal(['two', '', '', '', 'one', '']);
    expect(await sort('w', 'LIMIT', 0, 0, 'STORE', 'dst')).to.equal(0);
    expect(await r.exists('dst')).to.equal(0);
    expect(await sort('nokey', 'STORE', 'dst2')).to.equal(0);
    expect(await sort('nokey')).to.deep.equal([]);
  });

  it('STORE wakes a client blocked on the new key', async () => {
    await r.rpush('w', '2', '1');
    const c = await raw(srv.port);
    c.send('BLPOP', 'out', '0');
    await new Promise((res) => setTimeout(res, 30));
    expect(await sort('w', 'STORE', 'out')).to.equal(2);
    expect(await c.reply()).to.equal('*2\r\n$3\r\nout\r\n$1\r\n1\r\n');
    expect(await r.lrange('out', 0, -1)).to.deep.equal(['2']);
    c.close();
  });

  it('errors: syntax before WRONGTYPE, LIMIT integers, conversion after parsing', async () => {
    await r.rpush('w', '2', '1', '3');
    await r.set('str', 'x');
    await expect(sort('str')).to.be.rejectedWith('WRONGTYPE Operation against a key holding the wrong kind of value');
    await expect(sort('str', 'foo')).to.be.rejectedWith('ERR syntax error');
    await expect(sort('w', 'LIMIT', 1)).to.be.rejectedWith('ERR syntax error');
    await expect(sort('w', 'LIMIT', 'a', 1)).to.be.rejectedWith('ERR value is not an integer or out of range');
    await expect(sort('w', 'LIMIT', 1, 'b')).to.be.rejectedWith('ERR value is not an integer or out of range');
    await expect(sort('w', 'STORE')).to.be.rejectedWith('ERR syntax error');
    await expect(r.call('SORT_RO', 'w', 'STORE', 'dst')).to.be.rejectedWith('ERR syntax error');
    await r.rpush('bad', '1', 'x', '2');
    await expect(sort('bad')).to.be.rejectedWith("ERR One or more scores can't be converted into double");
    expect(await sort('bad', 'ALPHA')).to.deep.equal(['1', '2', 'x']);
    await expect(sort('bad', 'STORE', 'bd')).to.be.rejectedWith("ERR One or more scores can't be converted into double");
    expect(await r.exists('bd')).to.equal(0);
    for (const v of ['1e400', '1e-310', 'nan', '1x']) {
      await r.del('big');
      await r.rpush('big', '1', v);
      await expect(sort('big'), v).to.be.rejectedWith("ERR One or more scores can't be converted into double");
    }
    await r.del('big');
    await r.rpush('big', '1e308', '1e-300', 'inf', '-inf');
    expect(await sort('big')).to.deep.equal(['-inf', '1e-300', '1e308', 'inf']);
  });

  it('key positions: the sorted key and the last STORE target', async () => {
    expect(await r.call('COMMAND', 'GETKEYS', 'SORT', 'a', 'BY', 'x', 'GET', 'y', 'STORE', 'z', 'LIMIT', '0', '1', 'STORE', 'w'))
      .to.deep.equal(['a', 'w']);
    expect(await r.call('COMMAND', 'GETKEYS', 'SORT_RO', 'a', 'BY', 'x', 'GET', 'y')).to.deep.equal(['a']);
  });
});
