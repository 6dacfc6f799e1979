/**
 * Hash commands against a real Tessera server: replies, error texts and precedence,
 * RESP2/RESP3 shapes (HGETALL map, HRANDFIELD pairs), listpack/hashtable conversion,
 * HINCRBYFLOAT digits and propagation, HSCAN, keyspace events. Expected values were
 * checked against Redis 7.0.15.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { err, keyEvents } from '../helpers/observe.js';
import { raw, startServer, type TesseraServer } from '../helpers/server.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';



describe('hash commands', () => {
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
    await r.config('SET', 'hash-max-listpack-entries', '128');
    await r.config('SET', 'hash-max-listpack-value', '64');
  });

  it('sets, reads and counts fields', async () => {
    expect(await r.hset('h', 'a', '1', 'b', '2', 'c', '3')).to.equal(3);
    expect(await r.hset('h', 'a', '10', 'd', '4')).to.equal(1);
    expect(await r.hmset('h', 'e', '5')).to.equal('OK');
    expect(Object.entries(await r.hgetall('h'))).to.deep.equal([['a', '10'], ['b', '2'], ['c', '3'], ['d', '4'], ['e', '5']]);
    expect(await r.hkeys('h')).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(await r.hvals('h')).to.deep.equal(['10', '2', '3', '4', '5']);
    expect(await r.hget('h', 'a')).to.equal('10');
    expect(await r.hget('h', 'zz')).to.equal(null);
    expect(await r.hget('nokey', 'a')).to.equal(null);
    expect(await r.hmget('h', 'a', 'zz', 'b')).to.deep.equal(['10', null, '2']);
    expect(await r.hmget('nokey', 'a', 'b')).to.deep.equal([null, null]);
    expect(await r.hlen('h')).to.equal(5);
    expect(await r.hlen('nokey')).to.equal(0);
    expect(await r.hstrlen('h', 'a')).to.equal(2);
    expect(await r.hstrlen('h', 'zz')).to.equal(0);
    expect(await r.hexists('h', 'a')).to.equal(1);
    expect(await r.hexists('h', 'zz')).to.equal(0);
    expect(await r.hexists('nokey', 'a')).to.equal(0);
    expect(await r.hkeys('nokey')).to.deep.equal([]);
    expect(await r.hgetall('nokey')).to.deep.equal({});
  });

  it('rejects odd field/value counts with the command name', async () => {
    expect(await err(r.call('hset', 'h', 'a', '1', 'b'))).to.equal("ERR wrong number of arguments for 'hset' command");
    expect(await err(r.call('hmset', 'h', 'a', '1', 'b'))).to.equal("ERR wrong number of arguments for 'hmset' command");
    expect(await err(r.call('hset', 'h', 'a'))).to.equal("ERR wrong number of arguments for 'hset' command");
    expect(await r.exists('h')).to.equal(0);
  });

  it('HSETNX sets only new fields', async () => {
    expect(await r.hsetnx('h', 'a', '1')).to.equal(1);
    expect(await r.hsetnx('h', 'a', '2')).to.equal(0);
    expect(await r.hget('h', 'a')).to.equal('1');
  });

  it('HDEL removes fields and the emptied key', async () => {
    await r.hset('h', 'a', '1', 'b', '2');
    expect(await r.hdel('h', 'a', 'zz', 'a')).to.equal(1);
    expect(await r.hdel('h', 'zz')).to.equal(0);
    expect(await r.hdel('nokey', 'a')).to.equal(0);
    expect(await r.hdel('h', 'b')).to.equal(1);
    expect(await r.exists('h')).to.equal(0);
  });

  it('HINCRBY checks integers and overflow', async () => {
    expect(await r.hincrby('h', 'n', 5)).to.equal(5);
    expect(await r.hincrby('h', 'n', -7)).to.equal(-2);
    await r.hset('h', 's', 'abc', 'big', '9223372036854775807', 'neg', '-9223372036854775484');
    expect(await err(r.hincrby('h', 's', 1))).to.equal('ERR hash value is not an integer');
    expect(await err(r.hincrby('h', 'big', 1))).to.equal('ERR increment or decrement would overflow');
    const c = await raw(srv.port);
    c.send('HINCRBY', 'h', 'neg', '-1');
    expect(await c.reply()).to.equal(':-9223372036854775485\r\n');
    c.close();
    expect(await r.hget('h', 'neg')).to.equal('-9223372036854775485');
    expect(await err(r.call('hincrby', 'h', 'n', '1.5'))).to.equal('ERR value is not an integer or out of range');
    expect(await err(r.call('hincrby', 'nokey', 'n', 'x'))).to.equal('ERR value is not an integer or out of range');
    expect(await r.exists('nokey')).to.equal(0);
  });

  it('HINCRBYFLOAT prints long-double results and propagates HSET', async () => {
    expect(await r.hincrbyfloat('h', 'f', '0.1')).to.equal('0.1');
    expect(await r.hincrbyfloat('h', 'f', '0.2')).to.equal('0.3');
    expect(await r.hincrbyfloat('h', 'f', '-0.3')).to.equal('0');
    expect(await r.hincrbyfloat('h', 'f', '10.5e-3')).to.equal('0.0105');
    expect(await r.hincrbyfloat('h', 'g', '5.0e3')).to.equal('5000');
    expect(await r.hincrbyfloat('h', 'x', '0x10')).to.equal('16');
    expect(await err(r.hincrbyfloat('h', 'f', 'abc'))).to.equal('ERR value is not a valid float');
    expect(await err(r.hincrbyfloat('h', 'f', 'inf'))).to.equal('ERR value is NaN or Infinity');
    await r.hset('h', 's', 'abc', 'i', 'inf');
    expect(await err(r.hincrbyfloat('h', 's', '1'))).to.equal('ERR hash value is not a float');
    expect(await err(r.hincrbyfloat('h', 'i', '1'))).to.equal('ERR increment would produce NaN or Infinity');
    const log: string[] = [];
    const unsub = srv.node.writeLog.subscribe({ append: (_db, argv) => { log.push(argv.join(' ')); } });
    await r.hincrbyfloat('h', 'f', '1.5');
    unsub();
    expect(log).to.deep.equal(['HSET h f 1.5105']);
  });

  it('converts listpack to hashtable permanently, by count and by length', async () => {
    await r.config('SET', 'hash-max-listpack-entries', '4');
    await r.hset('h', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
    expect(await r.call('object', 'encoding', 'h')).to.equal('listpack');
    await r.hset('h', 'e', '5');
    expect(await r.call('object', 'encoding', 'h')).to.equal('hashtable');
    await r.hdel('h', 'a', 'b', 'c', 'd');
    expect(await r.call('object', 'encoding', 'h')).to.equal('hashtable');

    await r.hset('v', 'f', 'x'.repeat(64));
    expect(await r.call('object', 'encoding', 'v')).to.equal('listpack');
    await r.hset('v', 'g', 'x'.repeat(65));
    expect(await r.call('object', 'encoding', 'v')).to.equal('hashtable');
    await r.hset('w', 'y'.repeat(65), '1');
    expect(await r.call('object', 'encoding', 'w')).to.equal('hashtable');
    // HSETNX on an existing field changes nothing, so no conversion.
    await r.hset('z', 'a', '1');
    await r.hsetnx('z', 'a', 'z'.repeat(65));
    expect(await r.call('object', 'encoding', 'z')).to.equal('listpack');
    // A long HINCRBYFLOAT result converts too.
    expect(await r.hincrbyfloat('z', 'n', '1e70')).to.equal('10000000000000000000222479489586148259025995410601157579323600873193472');
    expect(await r.call('object', 'encoding', 'z')).to.equal('hashtable');
  });

  it('HGETALL is a map and HRANDFIELD WITHVALUES nests pairs in RESP3', async () => {
    await r.hset('h', 'a', '1');
    const c = await raw(srv.port);
    c.send('HGETALL', 'h');
    expect(await c.reply()).to.equal('*2\r\n$1\r\na\r\n$1\r\n1\r\n');
    c.send('HRANDFIELD', 'h', '-2', 'WITHVALUES');
    expect(await c.reply()).to.equal('*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n');
    c.send('HELLO', '3');
    await c.reply();
    c.send('HGETALL', 'h');
    expect(await c.reply()).to.equal('%1\r\n$1\r\na\r\n$1\r\n1\r\n');
    c.send('HGETALL', 'nokey');
    expect(await c.reply()).to.equal('%0\r\n');
    c.send('HRANDFIELD', 'h', '-2', 'WITHVALUES');
    expect(await c.reply()).to.equal('*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n');
    c.send('HRANDFIELD', 'h', '5', 'WITHVALUES');
    expect(await c.reply()).to.equal('*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n');
    c.send('HRANDFIELD', 'nokey');
    expect(await c.reply()).to.equal('_\r\n');
    c.send('HRANDFIELD', 'nokey', '3', 'WITHVALUES');
    expect(await c.reply()).to.equal('*0\r\n');
    c.close();
  });

  it('HRANDFIELD with a huge negative count stops at the output limit: the client is closed, nothing sent', async () => {
    await r.hset('h', 'a', 'b');
    await r.config('SET', 'client-output-buffer-limit', 'normal 1000000 0 0');
    try {
      const c = await raw(srv.port);
      c.send('HRANDFIELD', 'h', '-999999999');
      expect(await c.waitClosed()).to.equal(true);
      expect(c.pending()).to.equal('');
      // Other clients are unaffected, and below the limit replies still arrive.
      expect(await r.hrandfield('h', -3)).to.deep.equal(['a', 'a', 'a']);
    } finally {
      await r.config('SET', 'client-output-buffer-limit', 'normal 0 0 0');
    }
  });

  it('HRANDFIELD honours count sign, uniqueness and argument errors', async () => {
    const fields = ['a', 'b', 'c', 'd', 'e'];
    await r.hset('h', ...fields.flatMap((f, i) => [f, String(i)]));
    expect(fields).to.include(await r.hrandfield('h'));
    expect(await r.hrandfield('h', 0)).to.deep.equal([]);
    const three = (await r.hrandfield('h', 3)) as string[];
    expect(new Set(three).size).to.equal(3);
    for (const f of three) expect(fields).to.include(f);
    expect(((await r.hrandfield('h', 10)) as string[]).sort()).to.deep.equal(fields);
    const many = (await r.hrandfield('h', -50)) as string[];
    expect(many).to.have.length(50);
    expect(new Set(many).size).to.be.lessThan(6);
    const wv = (await r.hrandfield('h', 2, 'WITHVALUES')) as string[];
    expect(wv).to.have.length(4);
    expect(String(fields.indexOf(wv[0]!))).to.equal(wv[1]);
    expect(await r.hrandfield('nokey', 5)).to.deep.equal([]);
    expect(await r.hrandfield('nokey')).to.equal(null);
    expect(await err(r.call('hrandfield', 'h', 'x'))).to.equal('ERR value is not an integer or out of range');
    expect(await err(r.call('hrandfield', 'h', '1', 'foo'))).to.equal('ERR syntax error');
    expect(await err(r.call('hrandfield', 'h', '1', 'withvalues', 'x'))).to.equal('ERR syntax error');
    expect(await err(r.call('hrandfield', 'h', '-9223372036854775808'))).to.equal(
      'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    expect(await err(r.call('hrandfield', 'h', '-9223372036854770000', 'withvalues'))).to.equal('ERR value is out of range');
    // The count is parsed before the key is looked up.
    expect(await err(r.call('hrandfield', 'nokey', 'x'))).to.equal('ERR value is not an integer or out of range');
  });

  it('HRANDFIELD picks fairly from a hashtable-encoded hash', async () => {
    await r.config('SET', 'hash-max-listpack-entries', '2');
    await r.hset('h', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
    expect(await r.call('object', 'encoding', 'h')).to.equal('hashtable');
    const picks = (await r.hrandfield('h', -400)) as string[];
    for (const f of ['a', 'b', 'c', 'd']) expect(picks.filter((p) => p === f).length, f).to.be.greaterThan(50);
    const uniq = (await r.hrandfield('h', 3, 'WITHVALUES')) as string[];
    expect(new Set(uniq.filter((_, i) => i % 2 === 0)).size).to.equal(3);
  });

  it('HSCAN returns everything at once for a listpack and iterates a hashtable', async () => {
    await r.hset('h', 'a1', '1', 'a2', '2', 'b', '3');
    expect(await r.hscan('h', 0)).to.deep.equal(['0', ['a1', '1', 'a2', '2', 'b', '3']]);
    expect(await r.hscan('h', 0, 'MATCH', 'a*')).to.deep.equal(['0', ['a1', '1', 'a2', '2']]);
    expect(await r.hscan('nokey', 0)).to.deep.equal(['0', []]);
    expect(await err(r.call('hscan', 'h', 'x'))).to.equal('ERR invalid cursor');
    expect(await err(r.call('hscan', 'h', '0', 'COUNT', '0'))).to.equal('ERR syntax error');
    expect(await err(r.call('hscan', 'h', '0', 'TYPE', 'hash'))).to.equal('ERR syntax error');
    // Options are parsed only once the key is found.
    expect(await r.call('hscan', 'nokey', '0', 'COUNT', '0')).to.deep.equal(['0', []]);

    await r.config('SET', 'hash-max-listpack-entries', '8');
    const want = new Map<string, string>();
    for (let i = 0; i < 100; i++) want.set(`f${i}`, `v${i}`);
    await r.hset('big', ...[...want].flat());
    const seen = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = await r.hscan('big', cursor, 'COUNT', 7);
      for (let i = 0; i < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
      cursor = next;
      calls++;
    } while (cursor !== '0');
    expect(seen).to.deep.equal(want);
    expect(calls).to.be.greaterThan(5);
  });

  it('rejects every hash command on a key of another type', async () => {
    await r.rpush('l', 'a');
    const cmds: string[][] = [
      ['hset', 'l', 'a', 'b'], ['hsetnx', 'l', 'a', 'b'], ['hget', 'l', 'a'], ['hmget', 'l', 'a'], ['hdel', 'l', 'a'],
      ['hlen', 'l'], ['hstrlen', 'l', 'a'], ['hexists', 'l', 'a'], ['hkeys', 'l'], ['hvals', 'l'], ['hgetall', 'l'],
      ['hincrby', 'l', 'a', '1'], ['hincrbyfloat', 'l', 'a', '1'], ['hrandfield', 'l'], ['hrandfield', 'l', '1'], ['hscan', 'l', '0'],
    ];
    for (const c of cmds) expect(await err(r.call(c[0]!, ...c.slice(1))), c.join(' ')).to.equal(WRONGTYPE);
    expect(await r.lrange('l', 0, -1)).to.deep.equal(['a']);
  });

  it('emits hset/hincrby/hincrbyfloat/hdel/del events', async () => {
    const ev = await keyEvents(srv, r, async () => {
      await r.hset('h', 'a', '1', 'b', '2');
      await r.hsetnx('h', 'a', '1');
      await r.hsetnx('h', 'c', '1');
      await r.hincrby('h', 'a', 1);
      await r.hincrbyfloat('h', 'a', '1.5');
      await r.hdel('h', 'zz');
      await r.hdel('h', 'a', 'b', 'c');
    });
    expect(ev).to.deep.equal(['hset:h', 'hset:h', 'hincrby:h', 'hincrbyfloat:h', 'hdel:h', 'del:h']);
  });
});
