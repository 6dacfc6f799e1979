/**
 * List commands against a real Tessera server: replies, error texts and their
 * precedence, RESP2/RESP3 null shapes, deletion of emptied keys, keyspace events,
 * dirty counts and what reaches the write log. Expected values were checked against
 * Redis 7.0.15.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { err, keyEvents, propagated } from '../helpers/observe.js';
import { raw, startServer, type RawClient, type TesseraServer } from '../helpers/server.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';




describe('list commands', () => {
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
  });

  it('pushes at both ends and reports the new length', async () => {
    expect(await r.rpush('l', 'a', 'b', 'c')).to.equal(3);
    expect(await r.lpush('l', 'y', 'z')).to.equal(5);
    expect(await r.lrange('l', 0, -1)).to.deep.equal(['z', 'y', 'a', 'b', 'c']);
    expect(await r.lpushx('nokey', 'a')).to.equal(0);
    expect(await r.rpushx('nokey', 'a')).to.equal(0);
    expect(await r.exists('nokey')).to.equal(0);
    expect(await r.rpushx('l', 'd', 'e')).to.equal(7);
    expect(await r.lpushx('l', 'x')).to.equal(8);
    expect(await r.llen('l')).to.equal(8);
    expect(await r.llen('nokey')).to.equal(0);
    expect(await r.call('object', 'encoding', 'l')).to.equal('quicklist');
    expect(await err(r.call('lpush', 'l'))).to.equal("ERR wrong number of arguments for 'lpush' command");
  });

  it('answers LRANGE and LINDEX with Redis index rules', async () => {
    await r.rpush('l', 'a', 'b', 'c', 'd', 'e');
    expect(await r.lrange('l', -3, -1)).to.deep.equal(['c', 'd', 'e']);
    expect(await r.lrange('l', -100, 100)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(await r.lrange('l', 3, 1)).to.deep.equal([]);
    expect(await r.lrange('l', 5, 10)).to.deep.equal([]);
    expect(await r.lrange('nokey', 0, -1)).to.deep.equal([]);
    expect(await err(r.call('lrange', 'l', '0', 'x'))).to.equal('ERR value is not an integer or out of range');
    expect(await r.lindex('l', 0)).to.equal('a');
    expect(await r.lindex('l', -1)).to.equal('e');
    expect(await r.lindex('l', 5)).to.equal(null);
    expect(await r.lindex('l', -6)).to.equal(null);
    // LINDEX looks the key up before parsing the index.
    expect(await r.call('lindex', 'nokey', 'x')).to.equal(null);
    expect(await err(r.call('lindex', 'l', 'x'))).to.equal('ERR value is not an integer or out of range');
  });

  it('LSET replaces by index with the right errors', async () => {
    await r.rpush('l', 'a', 'b', 'c');
    expect(await r.lset('l', 0, 'A')).to.equal('OK');
    expect(await r.lset('l', -1, 'C')).to.equal('OK');
    expect(await r.lrange('l', 0, -1)).to.deep.equal(['A', 'b', 'C']);
    expect(await err(r.lset('l', 3, 'x'))).to.equal('ERR index out of range');
    expect(await err(r.lset('l', -4, 'x'))).to.equal('ERR index out of range');
    expect(await err(r.lset('nokey', 0, 'x'))).to.equal('ERR no such key');
    expect(await err(r.call('lset', 'nokey', 'x', 'y'))).to.equal('ERR no such key');
    expect(await err(r.call('lset', 'l', 'x', 'y'))).to.equal('ERR value is not an integer or out of range');
  });

  it('LINSERT finds the first pivot from the head', async () => {
    await r.rpush('l', 'a', 'b', 'a');
    expect(await r.linsert('l', 'BEFORE', 'a', 'x')).to.equal(4);
    expect(await r.linsert('l', 'AFTER', 'a', 'y')).to.equal(5);
    expect(await r.lrange('l', 0, -1)).to.deep.equal(['x', 'a', 'y', 'b', 'a']);
    expect(await r.linsert('l', 'AFTER', 'nope', 'z')).to.equal(-1);
    expect(await r.linsert('nokey', 'AFTER', 'a', 'z')).to.equal(0);
    expect(await err(r.call('linsert', 'nokey', 'middle', 'a', 'b'))).to.equal('ERR syntax error');
  });

  it('LPOS handles RANK, COUNT and MAXLEN like Redis', async () => {
    await r.rpush('p', 'a', 'b', 'a', 'c', 'a', 'd', 'a');
    expect(await r.lpos('p', 'a')).to.equal(0);
    expect(await r.lpos('p', 'a', 'RANK', 2)).to.equal(2);
    expect(await r.lpos('p', 'a', 'RANK', -1)).to.equal(6);
    expect(await r.lpos('p', 'a', 'RANK', -2, 'COUNT', 2)).to.deep.equal([4, 2]);
    expect(await r.lpos('p', 'a', 'COUNT', 0)).to.deep.equal([0, 2, 4, 6]);
    expect(await r.lpos('p', 'a', 'COUNT', 2, 'MAXLEN', 3)).to.deep.equal([0, 2]);
    expect(await r.lpos('p', 'a', 'RANK', 3, 'MAXLEN', 4)).to.equal(null);
    expect(await r.lpos('p', 'a', 'RANK', -1, 'MAXLEN', 1)).to.equal(6);
    expect(await r.lpos('p', 'zz')).to.equal(null);
    expect(await r.lpos('p', 'zz', 'COUNT', 1)).to.deep.equal([]);
    expect(await r.lpos('nokey', 'a')).to.equal(null);
    expect(await r.lpos('nokey', 'a', 'COUNT', 2)).to.deep.equal([]);
    expect(await err(r.call('lpos', 'p', 'a', 'RANK', '0'))).to.equal(
      "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
    expect(await err(r.call('lpos', 'p', 'a', 'COUNT', '-1'))).to.equal("ERR COUNT can't be negative");
    expect(await err(r.call('lpos', 'p', 'a', 'COUNT', 'x'))).to.equal("ERR COUNT can't be negative");
    expect(await err(r.call('lpos', 'p', 'a', 'MAXLEN', 'x'))).to.equal("ERR MAXLEN can't be negative");
    expect(await err(r.call('lpos', 'p', 'a', 'RANK', 'x'))).to.equal('ERR value is not an integer or out of range');
    expect(await err(r.call('lpos', 'p', 'a', 'COUNT'))).to.equal('ERR syntax error');
    // Options are parsed before the key is looked up.
    expect(await err(r.call('lpos', 'nokey', 'a', 'FOO', '1'))).to.equal('ERR syntax error');
  });

  it('LREM removes from the head, the tail or everywhere and deletes an emptied key', async () => {
    await r.rpush('p', 'a', 'b', 'a', 'c', 'a');
    expect(await r.lrem('p', 1, 'a')).to.equal(1);
    expect(await r.lrange('p', 0, -1)).to.deep.equal(['b', 'a', 'c', 'a']);
    expect(await r.lrem('p', -1, 'a')).to.equal(1);
    expect(await r.lrange('p', 0, -1)).to.deep.equal(['b', 'a', 'c']);
    expect(await r.lrem('p', 0, 'zz')).to.equal(0);
    expect(await r.lrem('nokey', 0, 'a')).to.equal(0);
    await r.del('p');
    await r.rpush('p', 'x', 'x');
    expect(await r.lrem('p', 0, 'x')).to.equal(2);
    expect(await r.exists('p')).to.equal(0);
    expect(await err(r.call('lrem', 'p', 'x', 'a'))).to.equal('ERR value is not an integer or out of range');
  });

  it('LTRIM keeps the range and deletes the key when nothing is left', async () => {
    await r.rpush('t', '1', '2', '3', '4', '5', '6');
    expect(await r.ltrim('t', 1, -2)).to.equal('OK');
    expect(await r.lrange('t', 0, -1)).to.deep.equal(['2', '3', '4', '5']);
    expect(await r.ltrim('t', 0, 100)).to.equal('OK');
    expect(await r.llen('t')).to.equal(4);
    expect(await r.ltrim('t', 3, 1)).to.equal('OK');
    expect(await r.exists('t')).to.equal(0);
    expect(await r.ltrim('nokey', 0, 1)).to.equal('OK');
    expect(await err(r.call('ltrim', 'nokey', 'a', '1'))).to.equal('ERR value is not an integer or out of range');
  });

  it('pops single elements and counts, with RESP2 null shapes', async () => {
    await r.rpush('q', '1', '2', '3', '4', '5');
    expect(await r.lpop('q')).to.equal('1');
    expect(await r.rpop('q')).to.equal('5');
    expect(await r.lpop('q', 2)).to.deep.equal(['2', '3']);
    expect(await r.rpop('q', 0)).to.deep.equal([]);
    expect(await r.rpop('q', 5)).to.deep.equal(['4']);
    expect(await r.exists('q')).to.equal(0);
    expect(await r.lpop('q')).to.equal(null);
    expect(await err(r.call('lpop', 'q', '-1'))).to.equal('ERR value is out of range, must be positive');
    expect(await err(r.call('lpop', 'q', 'x'))).to.equal('ERR value is out of range, must be positive');
    expect(await err(r.call('lpop', 'q', '1', '2'))).to.equal("ERR wrong number of arguments for 'lpop' command");
    const c = await raw(srv.port);
    c.send('LPOP', 'q');
    expect(await c.reply()).to.equal('$-1\r\n');
    c.send('LPOP', 'q', '1');
    expect(await c.reply()).to.equal('*-1\r\n');
    c.send('RPOP', 'q', '0');
    expect(await c.reply()).to.equal('*-1\r\n');
    c.close();
  });

  it('uses RESP3 nulls for missing keys', async () => {
    const c: RawClient = await raw(srv.port);
    c.send('HELLO', '3');
    await c.reply();
    for (const argv of [['LPOP', 'q'], ['LPOP', 'q', '2'], ['LINDEX', 'q', '0'], ['LPOS', 'q', 'a'], ['LMOVE', 'q', 'd', 'LEFT', 'LEFT'], ['LMPOP', '1', 'q', 'LEFT']]) {
      c.send(...argv);
      expect(await c.reply(), argv.join(' ')).to.equal('_\r\n');
    }
    c.send('RPUSH', 'q', 'a');
    await c.reply();
    c.send('LMPOP', '1', 'q', 'LEFT');
    expect(await c.reply()).to.equal('*2\r\n$1\r\nq\r\n*1\r\n$1\r\na\r\n');
    c.close();
  });

  it('LMOVE and RPOPLPUSH move between and within lists', async () => {
    await r.rpush('m', 'a', 'b', 'c');
    expect(await r.lmove('m', 'm2', 'LEFT', 'RIGHT')).to.equal('a');
    expect(await r.lmove('m', 'm2', 'RIGHT', 'LEFT')).to.equal('c');
    expect(await r.lrange('m2', 0, -1)).to.deep.equal(['c', 'a']);
    expect(await r.rpoplpush('m2', 'm2')).to.equal('a');
    expect(await r.lrange('m2', 0, -1)).to.deep.equal(['a', 'c']);
    expect(await r.rpoplpush('m', 'm2')).to.equal('b');
    expect(await r.exists('m')).to.equal(0);
    expect(await r.rpoplpush('m', 'm2')).to.equal(null);
    expect(await r.lmove('nokey', 'm2', 'LEFT', 'LEFT')).to.equal(null);
    expect(await err(r.call('lmove', 'm2', 'x', 'up', 'left'))).to.equal('ERR syntax error');
    await r.hset('h', 'f', 'v');
    expect(await err(r.lmove('m2', 'h', 'LEFT', 'LEFT'))).to.equal(WRONGTYPE);
    expect(await r.lrange('m2', 0, -1)).to.deep.equal(['b', 'a', 'c']);
    expect(await err(r.lmove('h', 'm2', 'LEFT', 'LEFT'))).to.equal(WRONGTYPE);
    // A missing source wins over a wrong-type destination.
    expect(await r.lmove('nokey', 'h', 'LEFT', 'LEFT')).to.equal(null);
  });

  it('LMPOP pops from the first non-empty list and validates its arguments', async () => {
    await r.rpush('b', '1', '2', '3');
    expect(await r.call('lmpop', '2', 'a', 'b', 'LEFT')).to.deep.equal(['b', ['1']]);
    expect(await r.call('lmpop', '2', 'a', 'b', 'RIGHT', 'COUNT', '10')).to.deep.equal(['b', ['3', '2']]);
    expect(await r.exists('b')).to.equal(0);
    expect(await r.call('lmpop', '2', 'a', 'b', 'RIGHT')).to.equal(null);
    await r.hset('h', 'f', 'v');
    expect(await err(r.call('lmpop', '1', 'h', 'LEFT'))).to.equal(WRONGTYPE);
    expect(await err(r.call('lmpop', '0', 'a', 'LEFT'))).to.equal('ERR numkeys should be greater than 0');
    expect(await err(r.call('lmpop', 'x', 'a', 'LEFT'))).to.equal('ERR numkeys should be greater than 0');
    expect(await err(r.call('lmpop', '3', 'a', 'LEFT'))).to.equal('ERR syntax error');
    expect(await err(r.call('lmpop', '1', 'a', 'middle'))).to.equal('ERR syntax error');
    expect(await err(r.call('lmpop', '1', 'a', 'LEFT', 'COUNT', '0'))).to.equal('ERR count should be greater than 0');
    expect(await err(r.call('lmpop', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '1'))).to.equal('ERR syntax error');
    expect(await r.call('command', 'getkeys', 'lmpop', '2', 'a', 'b', 'LEFT')).to.deep.equal(['a', 'b']);
  });

  it('rejects every list command on a key of another type', async () => {
    await r.hset('h', 'f', 'v');
    const cmds: string[][] = [
      ['lpush', 'h', 'a'], ['rpush', 'h', 'a'], ['lpushx', 'h', 'a'], ['lpop', 'h'], ['rpop', 'h', '1'], ['llen', 'h'],
      ['lrange', 'h', '0', '1'], ['lindex', 'h', '0'], ['lset', 'h', '0', 'a'], ['linsert', 'h', 'before', 'a', 'b'],
      ['lrem', 'h', '0', 'a'], ['ltrim', 'h', '0', '1'], ['lpos', 'h', 'a'], ['rpoplpush', 'h', 'x'],
    ];
    for (const c of cmds) expect(await err(r.call(c[0]!, ...c.slice(1))), c.join(' ')).to.equal(WRONGTYPE);
    expect(await r.hget('h', 'f')).to.equal('v');
  });

  it('emits the keyspace events Redis emits, in order', async () => {
    const ev = await keyEvents(srv, r, async () => {
      await r.rpush('l', 'a', 'b', 'c');
      await r.lpush('l', 'z');
      await r.lset('l', 0, 'y');
      await r.linsert('l', 'BEFORE', 'a', 'x');
      await r.lrem('l', 1, 'x');
      await r.ltrim('l', 0, 100);
      await r.lpop('l');
      await r.lmove('l', 'l2', 'LEFT', 'RIGHT');
      await r.rpop('l', 5);
      await r.rpoplpush('l2', 'l2');
      await r.call('lmpop', '1', 'l2', 'LEFT');
    });
    expect(ev).to.deep.equal([
      'rpush:l', 'lpush:l', 'lset:l', 'linsert:l', 'lrem:l', 'ltrim:l', 'lpop:l',
      'rpush:l2', 'lpop:l', 'rpop:l', 'del:l',
      'lpush:l2', 'rpop:l2', 'lpop:l2', 'del:l2',
    ]);
  });

  it('propagates LMPOP as LPOP/RPOP with the effective count', async () => {
    await r.rpush('a', '1', '2', '3');
    const log = await propagated(srv, async () => {
      await r.call('lmpop', '2', 'nokey', 'a', 'RIGHT', 'COUNT', '10');
      await r.lmove('nokey', 'x', 'LEFT', 'LEFT');
      await r.rpush('b', 'x');
      await r.lmove('b', 'c', 'LEFT', 'RIGHT');
    });
    expect(log).to.deep.equal(['RPOP a 3', 'rpush b x', 'lmove b c LEFT RIGHT']);
  });

  it('breaks WATCH exactly when Redis signals the key', async () => {
    const watchedExec = async (setup: () => Promise<unknown>, act: (o: Redis) => Promise<unknown>) => {
      await r.flushall();
      await setup();
      const w = new Redis(srv.port);
      const o = new Redis(srv.port);
      await w.watch('w');
      await act(o);
      const res = await w.multi().ping().exec();
      w.disconnect();
      o.disconnect();
      return res === null ? 'aborted' : 'ok';
    };
    // LTRIM signals the key even when it removes nothing; LREM only when it removes.
    expect(await watchedExec(() => r.rpush('w', 'x'), (o) => o.ltrim('w', 0, -1))).to.equal('aborted');
    expect(await watchedExec(() => r.rpush('w', 'x'), (o) => o.lrem('w', 0, 'zz'))).to.equal('ok');
    expect(await watchedExec(() => r.rpush('w', 'x'), (o) => o.linsert('w', 'BEFORE', 'zz', 'y'))).to.equal('ok');
    expect(await watchedExec(() => r.rpush('s', 'x'), (o) => o.lmove('s', 'w', 'LEFT', 'LEFT'))).to.equal('aborted');
  });

  it('counts changes in INFO rdb_changes_since_last_save like server.dirty', async () => {
    const dirty = async () => Number(/rdb_changes_since_last_save:(\d+)/.exec(await r.info('persistence'))![1]);
    const d0 = await dirty();
    await r.rpush('l', 'a', 'b', 'c', 'd'); // 4
    await r.ltrim('l', 1, 2); // 2
    await r.lrem('l', 0, 'zz'); // 0
    await r.lpop('l', 5); // 2
    expect((await dirty()) - d0).to.equal(8);
  });
});
